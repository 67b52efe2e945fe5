import type { Phase } from '../domain/account-request';

/** What decides which phases may run ahead: the quarantine guards the access granted early. */
interface AheadConfig {
  organization: { quarantinePolicy?: string | undefined };
}

/**
 * Phases that need nothing of the phase they are done in while a request waits there. The budget
 * needs only the account, so it is created while the StackSets deploy instead of after the access
 * is granted (where many accounts of one batch would meet Budgets' 5 calls a second at once). The
 * access needs only the account and its quarantine (place-account): the quarantine SCP denies
 * every principal but the factory's until the account is verified and released, so a group
 * granted early can do nothing before then. Granted while the StackSets deploy, the assignments
 * of a batch's accounts are spread over the operation instead of all waiting for Identity
 * Center's 10 outstanding assignments when it ends. Without a quarantine policy the access waits
 * for its turn, after the baseline.
 */
export function phasesAhead(waitingIn: Phase, config: AheadConfig): readonly Phase[] {
  if (waitingIn !== 'baseline') return [];
  return config.organization.quarantinePolicy ? ['budget', 'identity-center'] : ['budget'];
}

/**
 * Phases run beside `phase`'s own step, each needing the one before it. Placing an account is
 * Organizations calls (the organisation's tightest rate, shared by every vend), while waiting for
 * its access role and hardening it are calls in the account itself: neither needs the other, so
 * a burst's last accounts are hardened while their placement waits its turn at Organizations'
 * rate. Hardening is the factory's own role at work; the team gets nothing before identity-center.
 */
export function phasesAlongside(phase: Phase): readonly Phase[] {
  return phase === 'place-account' ? ['await-access', 'harden'] : [];
}

/** The phases during which `phase`'s step may run: its own, and those that run it ahead. */
export function phasesRunning(phase: Phase, config: AheadConfig): Phase[] {
  return phasesAhead('baseline', config).includes(phase) ? [phase, 'baseline'] : [phase];
}
