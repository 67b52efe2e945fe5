import { parseOptions } from '../../../scripts/bench/options';

describe('bench options', () => {
  it('runs 1, 10, 50 and 200 accounts, naive up to 50, and every section by default', () => {
    expect(parseOptions([])).toEqual({
      sizes: [1, 10, 50, 200],
      naiveSizes: [1, 10, 50],
      httpSeconds: 5,
      memorySteps: [1_000, 5_000, 10_000],
      sections: { vend: true, http: true, memory: true },
      quick: false,
      out: 'bench-results/bench.json',
      markdown: 'BENCHMARKS.md',
    });
  });

  it('--quick shrinks everything, and explicit options still win', () => {
    expect(parseOptions(['--quick'])).toEqual(
      expect.objectContaining({ sizes: [1, 5], naiveSizes: [1, 5], httpSeconds: 2, quick: true }),
    );
    expect(parseOptions(['--quick', '--sizes', '3', '--naive-sizes', '', '--only', 'vend,memory'])).toEqual(
      expect.objectContaining({
        sizes: [3],
        naiveSizes: [],
        memorySteps: [500, 1_000, 2_000],
        sections: { vend: true, http: false, memory: true },
      }),
    );
    expect(parseOptions(['--timeout-minutes', '90']).timeoutMinutes).toBe(90);
  });

  it('refuses what it does not know', () => {
    expect(() => parseOptions(['--sizes', '1,x'])).toThrow(/x is not a whole number/);
    expect(() => parseOptions(['--sizes', '0'])).toThrow(/0 is not a whole number/);
    expect(() => parseOptions(['--only', 'vend,cpu'])).toThrow(/cpu: sections are vend, http, memory/);
    expect(() => parseOptions(['--http-seconds', '-1'])).toThrow(/not a positive number/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option '--fast'/);
  });
});
