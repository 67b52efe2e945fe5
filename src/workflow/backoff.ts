import type { Phase } from '../domain/account-request';

/**
 * How often to check a phase again, tuned to how long its AWS operation usually takes
 * (docs/aws-limits.md: CreateAccount about a minute, StackSet operations one to a few minutes,
 * assignments seconds). A phase is checked every `everyMs` for as long as it usually takes
 * and as long again; only beyond that does the interval double (capped), so a slow operation is
 * not polled forever at full rate while a normal one is noticed within `everyMs` of finishing.
 */
const POLL: Record<Phase, { everyMs: number; expectedMs: number }> = {
  'create-account': { everyMs: 4_000, expectedMs: 60_000 },
  'place-account': { everyMs: 1_000, expectedMs: 5_000 },
  'await-access': { everyMs: 2_000, expectedMs: 20_000 },
  harden: { everyMs: 2_000, expectedMs: 10_000 },
  baseline: { everyMs: 4_000, expectedMs: 90_000 },
  'identity-center': { everyMs: 1_000, expectedMs: 5_000 },
  budget: { everyMs: 1_000, expectedMs: 5_000 },
  verify: { everyMs: 2_000, expectedMs: 10_000 },
  'release-quarantine': { everyMs: 1_000, expectedMs: 5_000 },
};
const CAP_MS = 60_000;
/** Transient errors (throttling, 5xx) start lower and back off exponentially at once. */
const ERROR_BASE_MS = 1_000;

export type Random = () => number;

/** The poll interval of a phase (the base a waiting step's own delays are tuned to). */
export function pollEveryMs(phase: Phase): number {
  return POLL[phase].everyMs;
}

/** How long a phase's AWS operation usually takes. */
export function expectedMs(phase: Phase): number {
  return POLL[phase].expectedMs;
}

export function pollDelayMs(phase: Phase, attempts: number, random: Random = Math.random): number {
  const { everyMs, expectedMs } = POLL[phase];
  const flat = Math.ceil((2 * expectedMs) / everyMs);
  const ceiling = Math.min(CAP_MS, everyMs * 2 ** Math.min(Math.max(0, attempts - flat), 16));
  // ±10 %: enough that many requests do not poll in lockstep, little enough to stay on schedule.
  return Math.round(ceiling * (0.9 + random() * 0.2));
}

/**
 * "Equal jitter" exponential backoff, the one retry schedule of the factory: the ceiling doubles
 * per attempt from `baseMs` up to `capMs`, and the delay is between half the ceiling and all of it.
 */
export function exponentialDelayMs(
  attempts: number,
  baseMs: number,
  capMs: number,
  random: Random = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempts), 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Backoff for transient errors: from 1 s, doubling, at most a minute. */
export function errorDelayMs(attempts: number, random: Random = Math.random): number {
  return exponentialDelayMs(attempts, ERROR_BASE_MS, CAP_MS, random);
}

/** How long a phase may run before the request fails with PHASE_TIMEOUT instead of hanging. */
export const PHASE_DEADLINE_MS: Record<Phase, number> = {
  'create-account': 60 * 60_000,
  'place-account': 15 * 60_000,
  'await-access': 30 * 60_000,
  harden: 30 * 60_000,
  baseline: 90 * 60_000,
  'identity-center': 30 * 60_000,
  budget: 15 * 60_000,
  verify: 30 * 60_000,
  'release-quarantine': 15 * 60_000,
};
