/**
 * The most of `times` (milliseconds) that fall in any window `[t, t + windowMs)`: what a rate
 * limit of that many per window must never be exceeded by.
 */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let first = 0;
  sorted.forEach((time, last) => {
    while ((sorted[first] ?? time) <= time - windowMs) first += 1;
    best = Math.max(best, last - first + 1);
  });
  return best;
}
