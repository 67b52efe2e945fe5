import { FixedWindows } from '../../../api/fixed-windows';

describe('FixedWindows: per-key counts in fixed windows', () => {
  it('allows `max` requests a window, then answers the seconds left until the window ends', () => {
    let elapsed = 5_000;
    const windows = new FixedWindows(2, 60_000, () => elapsed);
    expect(windows.hit('a')).toBeUndefined();
    elapsed += 10_000;
    expect(windows.hit('a')).toBeUndefined();
    expect(windows.hit('a')).toBe(50);
    elapsed += 49_500;
    expect(windows.hit('a')).toBe(1);
    elapsed += 500;
    expect(windows.hit('a')).toBeUndefined();
  });

  it('counts each key on its own', () => {
    const windows = new FixedWindows(1, 1_000, () => 0);
    expect(windows.hit('a')).toBeUndefined();
    expect(windows.hit('b')).toBeUndefined();
    expect(windows.hit('a')).toBe(1);
  });
});
