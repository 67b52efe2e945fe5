import type { Phase } from '../domain/account-request';

/**
 * How long to wait before checking a phase again, tuned to how long each AWS operation usually
 * takes (CreateAccount ~1-4 min, StackSet operations ~1-3 min, assignments seconds). Exponential
 * from the base, capped, with "equal jitter" so many requests do not poll in lockstep.
 */
const POLL_BASE_MS: Record<Phase, number> = {
  'create-account': 5_000,
  'place-account': 1_000,
  'await-access': 2_000,
  harden: 2_000,
  baseline: 5_000,
  'identity-center': 1_000,
  budget: 1_000,
  verify: 2_000,
  'release-quarantine': 1_000,
};
const CAP_MS = 60_000;
/** Transient errors (throttling, 5xx) start lower and back off faster. */
const ERROR_BASE_MS = 1_000;

export type Random = () => number;

export function pollDelayMs(phase: Phase, attempts: number, random: Random = Math.random): number {
  return jittered(POLL_BASE_MS[phase], attempts, random);
}

export function errorDelayMs(attempts: number, random: Random = Math.random): number {
  return jittered(ERROR_BASE_MS, attempts, random);
}

function jittered(base: number, attempts: number, random: Random): number {
  const ceiling = Math.min(CAP_MS, base * 2 ** Math.min(attempts, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
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
