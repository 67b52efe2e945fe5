import fc from 'fast-check';
import { maxInWindow } from '../../../scripts/drift-bench/rate-window';
import type { DriftDocument } from '../../../src/workflow/drift/sweep-document';
import {
  budgetCapacity,
  returnVerifications,
  takeVerifications,
} from '../../../src/workflow/drift/verification-budget';

/**
 * Steps `gapsMs` apart each take what the bucket gives (up to its capacity), use some of it and
 * give the rest back; each verification starts up to `delaysMs` after its step took the token.
 * Returns when the verifications started.
 */
function simulate(
  perMinute: number,
  steps: Array<{ gapMs: number; use: number; delayMs: number }>,
): number[] {
  const doc: DriftDocument = { schemaVersion: 1 };
  const starts: number[] = [];
  let now = Date.parse('2026-01-01T00:00:00Z');
  for (const step of steps) {
    now += step.gapMs;
    const taken = takeVerifications(doc, perMinute, new Date(now), budgetCapacity(perMinute));
    const used = Math.min(taken, step.use);
    for (let i = 0; i < used; i++) starts.push(now + step.delayMs);
    returnVerifications(doc, perMinute, taken - used);
  }
  return starts;
}

describe('verification budget', () => {
  it('never lets more than drift.verificationsPerMinute verifications start in any 60 s window', () => {
    const step = fc.record({
      gapMs: fc.integer({ min: 0, max: 5_000 }),
      use: fc.integer({ min: 0, max: 30 }),
      delayMs: fc.integer({ min: 0, max: 999 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.array(step, { maxLength: 600 }),
        (perMinute, steps) => {
          expect(maxInWindow(simulate(perMinute, steps), 60_000)).toBeLessThanOrEqual(perMinute);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sustains at least 94 % of the setting when steps come often enough', () => {
    for (const perMinute of [1, 10, 61, 600]) {
      const tenMinutes = Array.from({ length: 6_000 }, () => ({ gapMs: 100, use: 30, delayMs: 0 }));
      const started = simulate(perMinute, tenMinutes).length;
      expect(started).toBeGreaterThanOrEqual(0.94 * 10 * perMinute);
      expect(started).toBeLessThanOrEqual(10 * perMinute);
    }
  });

  it('lets one step verify two seconds of the rate at once (at least one account)', () => {
    expect([1, 10, 30, 31, 600].map(budgetCapacity)).toEqual([1, 1, 1, 2, 20]);
  });
});
