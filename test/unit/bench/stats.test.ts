import { percentile, ratio } from '../../../scripts/bench/stats';

describe('bench stats', () => {
  it('takes percentiles by nearest rank, whatever the order of the values', () => {
    const values = [10, 3, 7, 1, 9, 2, 8, 4, 6, 5];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 1)).toBe(1);
    expect(percentile([42], 95)).toBe(42);
    expect(values).toEqual([10, 3, 7, 1, 9, 2, 8, 4, 6, 5]);
  });

  it('has no percentile of nothing, and refuses one outside (0, 100]', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('rounds ratios, and has none without a divisor', () => {
    expect(ratio(22_700, 15_500)).toBe(1.46);
    expect(ratio(2_380, 10, 1)).toBe(238);
    expect(ratio(1, 3, 3)).toBe(0.333);
    expect(ratio(1, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
  });
});
