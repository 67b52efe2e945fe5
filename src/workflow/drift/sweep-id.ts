import { randomBytes } from 'node:crypto';

/** A sweep id: `sw-` and its start time to the millisecond (`sw-20260101T000000000Z-3f2a`). */
export const SWEEP_ID_PATTERN = /^sw-(\d{8})T(\d{9})Z-[0-9a-f]{4}$/;

export function newSweepId(now: Date): string {
  return `sw-${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(2).toString('hex')}`;
}

/**
 * The id a finished sweep is stored under, so that the store's ascending order is newest first:
 * the digits of its start time, each replaced by 9 minus itself, then the sweep id. Undefined for
 * a string that is not a sweep id.
 */
export function newestFirstKey(sweepId: string): string | undefined {
  const match = SWEEP_ID_PATTERN.exec(sweepId);
  if (!match) return undefined;
  const digits = `${match[1] ?? ''}${match[2] ?? ''}`;
  return `${digits.replace(/\d/g, (d) => String(9 - Number(d)))}-${sweepId}`;
}
