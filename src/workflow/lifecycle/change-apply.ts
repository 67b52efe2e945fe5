import type { AccountSpec } from '../../domain/account-request';
import { AvfError } from '../../domain/errors';
import {
  jobHolder,
  releaseAssignmentSlots,
  reserveCalls,
  takeAssignmentSlot,
} from '../coordination/identity-center-quota';
import { proceed, wait, type Outcome } from '../engine/outcome';
import { budgetSpecOf } from '../steps/budget';
import { accountTags } from '../steps/create-account';
import type { WorkflowDeps } from '../step';
import { CHANGE_JOB, type Change } from './account-changes';
import { currentAssignments } from './assignments';
import { requestedAssignments, sameAssignment } from '../../verify/controls/account-assignments';

type Grant = AccountSpec['access'][number];
const key = (g: Grant) => `${g.group}\u0000${g.permissionSet}`;

/** Reserves `count` sso-admin calls within the shared rate; a wait when they may not be made now. */
async function reserve(deps: WorkflowDeps, count: number): Promise<Outcome | undefined> {
  const waitMs = await reserveCalls(deps, count);
  if (waitMs === 0) return undefined;
  return wait(
    'Identity Center call rate reached (all workers)',
    waitMs / deps.config.config.worker.timeScale,
  );
}

/** Organizations tags: what `to` adds or changes, and the keys it drops. */
async function applyTags(
  deps: WorkflowDeps,
  change: Change,
  from: AccountSpec,
  to: AccountSpec,
): Promise<void> {
  const before = accountTags({ id: change.requestId, spec: from });
  const after = accountTags({ id: change.requestId, spec: to });
  const dropped = Object.keys(before).filter((k) => !(k in after));
  const orgs = deps.aws.organizations;
  if (dropped.length > 0) await orgs.untagResource(change.accountId, dropped);
  if (Object.entries(after).some(([k, v]) => before[k] !== v))
    await orgs.tagResource(change.accountId, after);
}

/** The budget's limit, thresholds and alert recipient (the owner), when they differ. */
async function applyBudget(
  deps: WorkflowDeps,
  change: Change,
  from: AccountSpec,
  to: AccountSpec,
): Promise<void> {
  const config = deps.config.config;
  const before = budgetSpecOf(change.accountId, from, config);
  const after = budgetSpecOf(change.accountId, to, config);
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  await deps.aws.budgets.updateBudget(await deps.directory.payerAccountId(), after);
}

/**
 * Starts the assignment creations and deletions that bring the account's access from `from` to
 * `to`, under Identity Center's organisation-wide quotas (worker.identityCenter): the calls are
 * reserved first and each creation holds an outstanding-assignment slot. Looks first: what already
 * holds is skipped, so a repeat after a crash starts only what is missing.
 */
async function startAccess(
  deps: WorkflowDeps,
  change: Change,
  from: AccountSpec,
  to: AccountSpec,
): Promise<Outcome | undefined> {
  const kept = new Set(to.access.map(key));
  const added = to.access.filter((g) => !from.access.some((b) => key(b) === key(g)));
  const removed = from.access.filter((g) => !kept.has(key(g)));
  if (added.length === 0 && removed.length === 0) return undefined;
  // listing (one per permission set, plus the provisioned sets) and one start per grant
  const calls = deps.config.config.permissionSets.length + 1 + added.length + removed.length;
  const rateLimited = await reserve(deps, calls);
  if (rateLimited) return rateLimited;
  const ic = deps.aws.identityCenter;
  const { instanceArn } = await deps.directory.identityCenter();
  const existing = await currentAssignments(deps, change.accountId);
  const holder = jobHolder(CHANGE_JOB, change.id);
  for (const grant of added) {
    const [wanted] = await requestedAssignments(deps, [grant]);
    if (!wanted || existing.some((e) => sameAssignment(e, wanted))) continue;
    const slot = `${change.id}/${grant.group}/${grant.permissionSet}`;
    if (!(await takeAssignmentSlot(deps, holder, slot))) {
      return wait(
        `waiting for an outstanding assignment slot for ${grant.group} → ${grant.permissionSet}`,
        5_000,
      );
    }
    const { requestId } = await ic.startAccountAssignment({
      instanceArn,
      accountId: change.accountId,
      permissionSetArn: wanted.permissionSetArn,
      groupId: wanted.principalId,
    });
    change.pending.push({
      label: `granting ${grant.group} → ${grant.permissionSet}`,
      action: 'create',
      requestId,
      slot,
    });
  }
  for (const grant of removed) {
    const [dropped] = await requestedAssignments(deps, [grant]);
    if (!dropped || !existing.some((e) => sameAssignment(e, dropped))) continue;
    const { requestId } = await ic.startAccountAssignmentDeletion({
      instanceArn,
      accountId: change.accountId,
      ...dropped,
    });
    change.pending.push({
      label: `revoking ${grant.group} → ${grant.permissionSet}`,
      action: 'delete',
      requestId,
    });
  }
  return undefined;
}

/**
 * APPLY: brings AWS from `change.from` to `change.to` (tags, budget, and the assignments started),
 * then goes on to check the assignments. Every call is idempotent.
 */
export async function applyChange(deps: WorkflowDeps, change: Change): Promise<Outcome> {
  const { from, to } = change;
  if (!from || !to)
    throw new AvfError('CHANGE_NOT_PLANNED', `change ${change.id} reached APPLY without a plan`);
  await applyTags(deps, change, from, to);
  await applyBudget(deps, change, from, to);
  const waiting = await startAccess(deps, change, from, to);
  if (waiting) return waiting;
  change.stage = 'AWAIT_ACCESS';
  return proceed(change.failure ? 'putting AWS back as the inventory has it' : 'tags and budget applied');
}

/**
 * AWAIT_ACCESS: checks each started assignment request; one that FAILED throws (the change rolls
 * back, or, rolling back already, tries again later). Returns undefined once none is left.
 */
export async function awaitAccess(deps: WorkflowDeps, change: Change): Promise<Outcome | undefined> {
  if (change.pending.length === 0) return undefined;
  const rateLimited = await reserve(deps, change.pending.length);
  if (rateLimited) return rateLimited;
  const ic = deps.aws.identityCenter;
  const { instanceArn } = await deps.directory.identityCenter();
  const left: Change['pending'] = [];
  for (const p of change.pending) {
    const status =
      p.action === 'create'
        ? await ic.getAccountAssignmentStatus(instanceArn, p.requestId)
        : await ic.getAccountAssignmentDeletionStatus(instanceArn, p.requestId);
    if (status.status === 'IN_PROGRESS') {
      left.push(p);
      continue;
    }
    if (p.slot) await releaseAssignmentSlots(deps, jobHolder(CHANGE_JOB, change.id), [p.slot]);
    if (status.status === 'FAILED') {
      change.pending = left.concat(change.pending.slice(change.pending.indexOf(p) + 1));
      throw new AvfError(
        'ASSIGNMENT_FAILED',
        `${p.label} failed: ${status.failureReason ?? 'no reason given'}`,
      );
    }
  }
  change.pending = left;
  return left.length > 0
    ? wait(`assignments in progress: ${left.map((p) => p.label).join(', ')}`, 2_000)
    : undefined;
}
