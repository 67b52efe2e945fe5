import type { Phase } from '../domain/account-request';

/**
 * How long each phase's AWS operation usually takes (docs/aws-limits.md: CreateAccount about a
 * minute, StackSet operations one to a few minutes, assignments seconds), and the shortest gap
 * between two checks of it.
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
/** After the first check, the gap starts at this share of the usual duration and grows by GROWTH. */
const FIRST_GAP_SHARE = 0.1;
const GROWTH = 1.6;

export type Random = () => number;

/** The shortest gap between two checks of a phase. */
export function pollEveryMs(phase: Phase): number {
  return POLL[phase].everyMs;
}

/** How long a phase's AWS operation usually takes. */
export function expectedMs(phase: Phase): number {
  return POLL[phase].expectedMs;
}

/**
 * The one polling policy of every asynchronous AWS operation the factory waits for (CreateAccount,
 * StackSet operations, account assignments): the first check comes when the operation usually
 * finishes (looking earlier only finds it still running), later ones at gaps that start at a tenth
 * of that duration and grow by 1.6 up to a minute. `checks` is how many checks were made since the
 * operation started. An operation that takes its usual time is seen at the first check; one that
 * takes four times as long at the 8th (CreateAccount: 60 s, +6, +9.6, +15, +25, +39, +60, +60).
 * The first check is up to 0.5 % late, later ones ±10 %, so many requests do not poll in lockstep.
 */
export function operationPollDelayMs(
  timing: { everyMs: number; expectedMs: number },
  checks: number,
  random: Random = Math.random,
  share = 1,
): number {
  const expected = timing.expectedMs * share;
  if (checks <= 0) return Math.round(expected * (1 + random() * 0.005));
  const gap = expected * FIRST_GAP_SHARE * GROWTH ** Math.min(checks - 1, 30);
  const ceiling = Math.min(CAP_MS, Math.max(timing.everyMs, gap));
  return Math.round(ceiling * (0.9 + random() * 0.2));
}

/**
 * The share of AWS's usual operation durations this environment takes, against `timeScale` (which
 * already scales every delay): 1 on AWS and on an emulator compressed evenly, 0 on one whose
 * operations finish at once (`worker.operationDurationScale: 0`). Passed as `share` above.
 */
export function durationShare(worker: { timeScale: number; operationDurationScale?: number }): number {
  return (worker.operationDurationScale ?? worker.timeScale) / worker.timeScale;
}

/** How long a phase's AWS operation usually takes here, on the worker's (scaled) clock. */
export function expectedHereMs(
  phase: Phase,
  worker: { timeScale: number; operationDurationScale?: number },
): number {
  return POLL[phase].expectedMs * (worker.operationDurationScale ?? worker.timeScale);
}

/** Phases that wait for one asynchronous AWS operation they started (polled by operationPollDelayMs). */
const OPERATION_PHASES: ReadonlySet<Phase> = new Set(['create-account', 'baseline', 'identity-center']);

/**
 * When to check a phase again, `attempts` checks after it began waiting. A phase waiting for its
 * operation follows operationPollDelayMs; the others wait for something to become true that has
 * no start (a role to be assumable, a control to converge): checked every `everyMs` for as long as
 * it usually takes and as long again, then at doubling gaps up to a minute (±10 %).
 */
export function pollDelayMs(phase: Phase, attempts: number, random: Random = Math.random, share = 1): number {
  if (OPERATION_PHASES.has(phase)) return operationPollDelayMs(POLL[phase], attempts, random, share);
  const { everyMs, expectedMs } = POLL[phase];
  const flat = Math.ceil((2 * expectedMs) / everyMs);
  const ceiling = Math.min(CAP_MS, everyMs * 2 ** Math.min(Math.max(0, attempts - flat), 16));
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
