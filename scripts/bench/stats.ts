/**
 * The p-th percentile (0 < p ≤ 100) by the nearest-rank method: the smallest value with at least
 * p % of the values at or below it. Undefined for no values.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/** `a / b` rounded to `digits` decimals; undefined when either is missing or b is 0. */
export function ratio(a: number | undefined, b: number | undefined, digits = 2): number | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  const scale = 10 ** digits;
  return Math.round((a / b) * scale) / scale;
}
