import { parseDriftBenchOptions } from '../../../scripts/drift-bench/options';
import { maxInWindow } from '../../../scripts/drift-bench/rate-window';

describe('drift bench options', () => {
  it('sweeps the whole inventory of 1,000 by default', () => {
    expect(parseDriftBenchOptions([])).toEqual({
      inventory: 1000,
      workers: 2,
      perMinute: 600,
      out: 'bench-results/drift-bench.json',
    });
  });

  it('--sample N stops after N accounts (a sample as large as the inventory is the full run)', () => {
    expect(parseDriftBenchOptions(['--sample', '100']).sample).toBe(100);
    expect(parseDriftBenchOptions(['--inventory', '50', '--sample', '50'])).not.toHaveProperty('sample');
  });

  it('fails on a rate the config does not allow or a count that is not a whole number', () => {
    expect(() => parseDriftBenchOptions(['--per-minute', '601'])).toThrow(/at most 600/);
    expect(() => parseDriftBenchOptions(['--sample', '0'])).toThrow();
    expect(() => parseDriftBenchOptions(['--workers', '1.5'])).toThrow();
  });
});

describe('maxInWindow', () => {
  it('counts the most times in any half-open window', () => {
    expect(maxInWindow([], 60_000)).toBe(0);
    expect(maxInWindow([0, 59_999, 60_000, 60_001, 119_999], 60_000)).toBe(3);
    expect(maxInWindow([5, 1, 3], 10)).toBe(3);
  });
});
