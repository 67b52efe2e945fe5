import { AvfError } from '../../domain/errors';
import type { AssignmentStatus } from '../../domain/ports/aws';
import type { LifecycleDeps } from './deps';
import { accountAssignments, type Assignment } from '../../verify/controls/account-assignments';

export type { Assignment } from '../../verify/controls/account-assignments';

/**
 * Drift remediation revokes unrequested assignments and waits for the deletions, polled every
 * second for at most 20 s; past that it fails retryable (a repeat finds what finished). Changes
 * and closures start requests and check them on later steps instead (change-apply.ts,
 * decommission.ts).
 */
const POLL_MS = 1000;
const MAX_POLLS = 20;

/** Every assignment on the account (every permission set provisioned to it, groups and users). */
export async function currentAssignments(deps: LifecycleDeps, accountId: string): Promise<Assignment[]> {
  return (await accountAssignments(deps, accountId)).assignments;
}

type Check = () => Promise<{ status: AssignmentStatus; failureReason?: string }>;

/** Polls each started request until it finishes; FAILED or the time limit throws. */
async function awaitAll(deps: LifecycleDeps, started: Array<{ label: string; check: Check }>): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let pending = started;
  for (let poll = 0; pending.length > 0; poll++) {
    if (poll >= MAX_POLLS) {
      throw new AvfError(
        'ASSIGNMENT_TIMEOUT',
        `still in progress after ${(MAX_POLLS * POLL_MS) / 1000} s: ${pending.map((p) => p.label).join(', ')}; the next check finishes it`,
        { retryable: true },
      );
    }
    if (poll > 0) await sleep(POLL_MS);
    const next: typeof pending = [];
    for (const item of pending) {
      const status = await item.check();
      if (status.status === 'FAILED') {
        throw new AvfError(
          'ASSIGNMENT_FAILED',
          `${item.label} failed: ${status.failureReason ?? 'no reason given'}`,
        );
      }
      if (status.status === 'IN_PROGRESS') next.push(item);
    }
    pending = next;
  }
}

/**
 * Deletes assignments the record does not hold (drift remediation of IAM-5) and waits for the
 * deletions; returns a label per assignment removed.
 */
export async function revokeAssignments(
  deps: LifecycleDeps,
  accountId: string,
  assignments: Assignment[],
): Promise<string[]> {
  const ic = deps.aws.identityCenter;
  const { instanceArn } = await deps.directory.identityCenter();
  const started: Array<{ label: string; check: Check }> = [];
  for (const a of assignments) {
    const { requestId } = await ic.startAccountAssignmentDeletion({ instanceArn, accountId, ...a });
    started.push({
      label: `${a.principalType} ${a.principalId} → ${a.permissionSetArn}`,
      check: () => ic.getAccountAssignmentDeletionStatus(instanceArn, requestId),
    });
  }
  await awaitAll(deps, started);
  return started.map((s) => s.label);
}
