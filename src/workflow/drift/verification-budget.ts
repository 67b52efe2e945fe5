import type { DriftDocument } from './sweep-document';

/** A bucket holds ten seconds of verifications (at least one), so a sweep proceeds evenly. */
export function budgetCapacity(perMinute: number): number {
  return Math.max(1, Math.ceil(perMinute / 6));
}

/**
 * Refills the document's bucket for the time since its last refill and takes up to `wanted`
 * whole verifications from it; returns how many were taken. The caller writes the document.
 */
export function takeVerifications(doc: DriftDocument, perMinute: number, now: Date, wanted: number): number {
  const capacity = budgetCapacity(perMinute);
  const last = doc.budget ? Date.parse(doc.budget.refilledAt) : now.getTime();
  const before = doc.budget ? doc.budget.tokens : capacity;
  const tokens = Math.min(capacity, before + (Math.max(0, now.getTime() - last) / 60_000) * perMinute);
  const taken = Math.max(0, Math.min(wanted, Math.floor(tokens)));
  doc.budget = { tokens: tokens - taken, refilledAt: now.toISOString() };
  return taken;
}

/** Gives back verifications taken but not used (the page held fewer accounts). */
export function returnVerifications(doc: DriftDocument, perMinute: number, unused: number): void {
  if (!doc.budget || unused <= 0) return;
  doc.budget.tokens = Math.min(budgetCapacity(perMinute), doc.budget.tokens + unused);
}
