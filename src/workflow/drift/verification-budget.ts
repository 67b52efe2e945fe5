import type { DriftDocument } from './sweep-document';

/**
 * A verification may start up to this long after its token was taken (the step's document write,
 * StackSet checks and page read come first); the refill leaves room for it.
 */
const START_DELAY_MS = 1_000;

/**
 * The bucket holds two seconds of verifications (at least one): what one step may verify at once.
 * More would let a step start more verifications side by side, but every token the bucket holds
 * beyond one is taken off the sustained rate (see refillPerMinute).
 */
export function budgetCapacity(perMinute: number): number {
  return Math.max(1, Math.ceil(perMinute / 30));
}

/**
 * Tokens per minute the bucket refills with. Any 60 s window sees at most what the bucket held
 * at its start (capacity C) plus what flowed in during the window and the start delay before it,
 * in whole tokens: with `(perMinute - C + 1) · 60 / (60 + delay)` per minute that is fewer than
 * `perMinute + 1`, so no 60 s window holds more than `drift.verificationsPerMinute`
 * verifications. The sustained rate is under the setting by about 5 % (about 2 % at 30 per
 * minute or less).
 */
export function refillPerMinute(perMinute: number): number {
  return ((perMinute - budgetCapacity(perMinute) + 1) * 60_000) / (60_000 + START_DELAY_MS);
}

/**
 * Refills the document's bucket for the time since its last refill and takes up to `wanted`
 * whole verifications from it; returns how many were taken. The caller writes the document.
 */
export function takeVerifications(doc: DriftDocument, perMinute: number, now: Date, wanted: number): number {
  const capacity = budgetCapacity(perMinute);
  const last = doc.budget ? Date.parse(doc.budget.refilledAt) : now.getTime();
  const before = doc.budget ? doc.budget.tokens : capacity;
  const inflow = (Math.max(0, now.getTime() - last) / 60_000) * refillPerMinute(perMinute);
  const tokens = Math.min(capacity, before + inflow);
  const taken = Math.max(0, Math.min(wanted, Math.floor(tokens)));
  doc.budget = { tokens: tokens - taken, refilledAt: now.toISOString() };
  return taken;
}

/** Gives back verifications taken but not used (the page held fewer accounts). */
export function returnVerifications(doc: DriftDocument, perMinute: number, unused: number): void {
  if (!doc.budget || unused <= 0) return;
  doc.budget.tokens = Math.min(budgetCapacity(perMinute), doc.budget.tokens + unused);
}

/** When the bucket holds a whole verification again (now, when it does). */
export function nextVerificationAt(doc: DriftDocument, perMinute: number, now: Date): number {
  const missing = doc.budget ? 1 - doc.budget.tokens : 0;
  if (!doc.budget || missing <= 0) return now.getTime();
  // a millisecond over, so the refill computed then is not a rounding error short of one
  return Date.parse(doc.budget.refilledAt) + Math.ceil((missing * 60_000) / refillPerMinute(perMinute)) + 1;
}
