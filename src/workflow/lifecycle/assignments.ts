import type { AccountSpec } from '../../domain/account-request';
import { AvfError } from '../../domain/errors';
import type { AssignmentStatus } from '../../domain/ports/aws';
import type { LifecycleDeps } from './deps';
import {
  accountAssignments,
  requestedAssignments,
  sameAssignment,
  type Assignment,
} from '../../verify/controls/account-assignments';

export type { Assignment } from '../../verify/controls/account-assignments';

type Grant = AccountSpec['access'][number];

/**
 * PATCH changes access synchronously, inside the request: an assignment usually finishes within
 * seconds, so the caller gets an answer that is true in AWS. Polled every second for at most 20 s
 * (on Lambda, API Gateway cuts a request off at 30 s); past that the call fails retryable (a
 * repeat finds what finished and goes on). Closures, which run in the worker, start deletions and
 * check them on later ticks instead (decommission.ts).
 */
const POLL_MS = 1000;
const MAX_POLLS = 20;

/** Every assignment on the account (every permission set provisioned to it, groups and users). */
export async function currentAssignments(deps: LifecycleDeps, accountId: string): Promise<Assignment[]> {
  return (await accountAssignments(deps, accountId)).assignments;
}

async function resolve(deps: LifecycleDeps, grant: Grant): Promise<Assignment> {
  const [wanted] = await requestedAssignments(deps, [grant]);
  if (!wanted) throw new AvfError('INTERNAL', `no assignment for ${grant.group}`);
  return wanted;
}

const same = sameAssignment;
type Check = () => Promise<{ status: AssignmentStatus; failureReason?: string }>;

/** Polls each started request until it finishes; FAILED or the time limit throws. */
async function awaitAll(deps: LifecycleDeps, started: Array<{ label: string; check: Check }>): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let pending = started;
  for (let poll = 0; pending.length > 0; poll++) {
    if (poll >= MAX_POLLS) {
      throw new AvfError(
        'ASSIGNMENT_TIMEOUT',
        `still in progress after ${(MAX_POLLS * POLL_MS) / 1000} s: ${pending.map((p) => p.label).join(', ')}; send the same PATCH again to finish`,
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
 * Brings the account's (group, permission set) grants from `before` to `after`: creates the new
 * ones, deletes the dropped ones, and waits for both. Looks first: what already holds is skipped.
 */
export async function changeAccess(
  deps: LifecycleDeps,
  accountId: string,
  before: Grant[],
  after: Grant[],
): Promise<void> {
  const key = (g: Grant) => `${g.group}\u0000${g.permissionSet}`;
  const kept = new Set(after.map(key));
  const added = after.filter((g) => !before.some((b) => key(b) === key(g)));
  const removed = before.filter((g) => !kept.has(key(g)));
  if (added.length === 0 && removed.length === 0) return;
  const ic = deps.aws.identityCenter;
  const { instanceArn } = await deps.directory.identityCenter();
  const existing = await currentAssignments(deps, accountId);
  const started: Array<{ label: string; check: Check }> = [];
  for (const grant of added) {
    const wanted = await resolve(deps, grant);
    if (existing.some((e) => same(e, wanted))) continue;
    const { requestId } = await ic.startAccountAssignment({
      instanceArn,
      accountId,
      permissionSetArn: wanted.permissionSetArn,
      groupId: wanted.principalId,
    });
    started.push({
      label: `granting ${grant.group} → ${grant.permissionSet}`,
      check: () => ic.getAccountAssignmentStatus(instanceArn, requestId),
    });
  }
  for (const grant of removed) {
    const dropped = await resolve(deps, grant);
    if (!existing.some((e) => same(e, dropped))) continue;
    const { requestId } = await ic.startAccountAssignmentDeletion({ instanceArn, accountId, ...dropped });
    started.push({
      label: `revoking ${grant.group} → ${grant.permissionSet}`,
      check: () => ic.getAccountAssignmentDeletionStatus(instanceArn, requestId),
    });
  }
  await awaitAll(deps, started);
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
