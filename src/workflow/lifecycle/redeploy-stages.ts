import { appendEvent, EVENT_TYPES } from '../notify/request-events';
import type { StackSetConfig } from '../../config/schema';
import type { StackInstanceSummary } from '../../domain/ports/aws';
import { PHASE_DEADLINE_MS, durationShare, pollDelayMs } from '../backoff';
import { done, fail, proceed, wait, type Outcome } from '../engine/outcome';
import { driveOperation, refused } from '../coordination/stackset-operation';
import { recordVerification, updateAccountRecord } from '../request-writes';
import { instanceProblems } from '../../domain/stack-instances';
import type { LifecycleDeps } from './deps';
import { accountStateOf } from './managed-account';
import { redeployOperationId, type Redeploy, type RedeployOperation, type RedeployStage } from './redeploys';

/** What the step knows of its job: how many checks in a row waited, and the last detail. */
export interface RedeployJob {
  attempts: number;
  detail?: string;
}

/** The new OU's instances are created again at most this often when a deletion took them. */
const MAX_GENERATION = 2;

const unique = (values: string[]) => [...new Set(values)];

/** Goes on to the next stage at once. */
function next(r: Redeploy, stage: RedeployStage, detail: string): Outcome {
  r.stage = stage;
  return proceed(detail);
}

function end(deps: LifecycleDeps, r: Redeploy, stage: 'SUCCEEDED' | 'FAILED', detail: string): Outcome {
  r.stage = stage;
  r.finishedAt = deps.clock.now().toISOString();
  return stage === 'SUCCEEDED' ? done(detail) : fail('REDEPLOY_FAILED', detail);
}

const regionsOf = (deps: LifecycleDeps, stackSet: StackSetConfig) =>
  stackSet.regions ?? deps.config.config.governedRegions;

/** What AWS holds of one StackSet for the account: judged under the new OU, and held elsewhere. */
interface Holding {
  stackSet: string;
  /** Per region, why there is no CURRENT, SUCCEEDED instance under the new OU. */
  problems: string[];
  /** A region has no instance under the new OU at all. */
  missing: boolean;
  /** Instances another OU target holds. */
  elsewhere: StackInstanceSummary[];
}

/**
 * The account's instances of every configured StackSet (every one applies to every OU: the config
 * scopes StackSets by region only). An instance that does not name its OU (an emulator) counts as
 * the new OU's.
 */
async function holdings(deps: LifecycleDeps, r: Redeploy): Promise<Holding[]> {
  const found: Holding[] = [];
  for (const stackSet of deps.config.config.stackSets) {
    const regions = regionsOf(deps, stackSet);
    const instances = await deps.aws.stackSets.listStackInstances(stackSet.name, r.accountId);
    const underNew = instances.filter((i) => (i.organizationalUnitId ?? r.toOuId) === r.toOuId);
    found.push({
      stackSet: stackSet.name,
      problems: instanceProblems(underNew, r.accountId, regions).map((p) => `${stackSet.name}@${p}`),
      missing: regions.some((region) => !underNew.some((i) => i.region === region)),
      elsewhere: instances.filter((i) => (i.organizationalUnitId ?? r.toOuId) !== r.toOuId),
    });
  }
  return found;
}

const operationsOf = (r: Redeploy, action: RedeployOperation['action']) =>
  r.operations.filter((o) => o.action === action && o.generation === r.generation);

/** Adds operations to the entry; they are written down before any of them is started. */
function plan(
  deps: LifecycleDeps,
  r: Redeploy,
  action: RedeployOperation['action'],
  parts: Array<Omit<RedeployOperation, 'action' | 'operationId' | 'generation'>>,
): Outcome {
  r.operations.push(
    ...parts.map((p) => ({
      ...p,
      action,
      operationId: redeployOperationId(deps.storeTag, r, action, p.stackSet),
      generation: r.generation,
    })),
  );
  return wait(`${action} planned for ${parts.map((p) => p.stackSet).join(', ')}`, 0);
}

/** The operation's StackSet, OUs and regions, with the account as the INTERSECTION filter. */
const targetsOf = (r: Redeploy, op: RedeployOperation) => ({
  stackSetName: op.stackSet,
  organizationalUnitIds: op.organizationalUnitIds,
  accountIds: [r.accountId],
  regions: op.regions,
  operationId: op.operationId,
});

/** Starts or polls each operation; an outcome while any runs or one was refused, else undefined. */
async function drive(
  deps: LifecycleDeps,
  r: Redeploy,
  job: RedeployJob,
  operations: RedeployOperation[],
  start: (op: RedeployOperation) => Promise<string>,
): Promise<Outcome | undefined> {
  let ended = true;
  for (const op of operations) ended = (await driveOperation(deps, op, () => start(op))) && ended;
  const refusal = operations.find(refused);
  if (refusal)
    return end(deps, r, 'FAILED', `${refusal.action} ${refusal.stackSet}: AWS ${refusal.reason ?? ''}`);
  if (ended) return undefined;
  const state = operations.map((o) => `${o.stackSet} ${o.status ?? 'PENDING'}`).join(', ');
  return wait(
    `${r.stage}: ${state}`,
    pollDelayMs('baseline', job.attempts, deps.random, durationShare(deps.config.config.worker)),
  );
}

/**
 * MOVE: the account into its new OU (its SCPs apply from then), then the inventory, with the
 * `Account Moved` event. Both idempotent: a repeat after a crash finishes what is left.
 */
async function move(deps: LifecycleDeps, r: Redeploy): Promise<Outcome> {
  const orgs = deps.aws.organizations;
  const parent = await orgs.getParentId(r.accountId);
  if (parent !== r.toOuId) await orgs.moveAccount(r.accountId, parent, r.toOuId);
  await updateAccountRecord(deps, r.requestId, (record) => {
    const previous = record.spec.organizationalUnit;
    if (previous === r.toOrganizationalUnit) return;
    record.spec.organizationalUnit = r.toOrganizationalUnit;
    record.updatedAt = deps.clock.now().toISOString();
    appendEvent(record, EVENT_TYPES.moved, { previousOrganizationalUnit: previous }, deps.clock.now());
  });
  return next(r, 'CREATE', `moved to ${r.toOrganizationalUnit}`);
}

/** CREATE: every StackSet's instances under the new OU (INTERSECTION with the account), then judged. */
async function createUnderNewOu(deps: LifecycleDeps, r: Redeploy, job: RedeployJob): Promise<Outcome> {
  const planned = operationsOf(r, 'CREATE');
  if (planned.length === 0) {
    const stackSets = deps.config.config.stackSets;
    if (stackSets.length === 0) return next(r, 'VERIFY', 'no StackSets configured');
    return plan(
      deps,
      r,
      'CREATE',
      stackSets.map((s) => ({
        stackSet: s.name,
        organizationalUnitIds: [r.toOuId],
        regions: regionsOf(deps, s),
      })),
    );
  }
  const waiting = await drive(deps, r, job, planned, (op) =>
    deps.aws.stackSets.createStackInstances(targetsOf(r, op)),
  );
  if (waiting) return waiting;
  const problems = (await holdings(deps, r)).flatMap((h) => h.problems);
  if (problems.length > 0)
    return end(deps, r, 'FAILED', `not deployed under ${r.toOrganizationalUnit}: ${problems.join('; ')}`);
  return next(r, 'DELETE', `instances under ${r.toOrganizationalUnit} in place`);
}

/** DELETE: the account's instances other OU targets hold (the old OU's), stacks and all. */
async function deleteUnderOtherOus(deps: LifecycleDeps, r: Redeploy, job: RedeployJob): Promise<Outcome> {
  const planned = operationsOf(r, 'DELETE');
  if (planned.length === 0) {
    const held = (await holdings(deps, r)).filter((h) => h.elsewhere.length > 0);
    if (held.length === 0) return next(r, 'VERIFY', 'no instances under other OUs');
    return plan(
      deps,
      r,
      'DELETE',
      held.map((h) => ({
        stackSet: h.stackSet,
        organizationalUnitIds: unique(h.elsewhere.map((i) => i.organizationalUnitId ?? '')),
        regions: unique(h.elsewhere.map((i) => i.region)),
      })),
    );
  }
  const waiting = await drive(deps, r, job, planned, (op) =>
    deps.aws.stackSets.deleteStackInstances(targetsOf(r, op)),
  );
  return waiting ?? next(r, 'VERIFY', 'instances under other OUs deleted');
}

/** VERIFY: only the new OU's instances are left, all CURRENT; then every control of the account. */
async function verifyAccount(deps: LifecycleDeps, r: Redeploy): Promise<Outcome> {
  const held = await holdings(deps, r);
  const elsewhere = held.flatMap((h) =>
    h.elsewhere.map((i) => `${h.stackSet}@${i.region} still under ${i.organizationalUnitId ?? '?'}`),
  );
  if (elsewhere.length === 0 && held.some((h) => h.missing) && r.generation < MAX_GENERATION) {
    // AWS deleted the stack with the old OU's instance (one stack per account and region): again.
    r.generation += 1;
    return next(
      r,
      'CREATE',
      `the deletion under the old OU took the new OU's instances; creating them again`,
    );
  }
  const problems = [...elsewhere, ...held.flatMap((h) => h.problems)];
  if (problems.length > 0) return end(deps, r, 'FAILED', problems.join('; '));
  const record = await deps.store.get(r.requestId);
  if (!record) return done('dropped: the account record is gone');
  const verification = await deps.verifier.verify(
    { accountId: r.accountId, spec: record.spec, activity: r.requestId },
    deps.clock.now(),
  );
  await updateAccountRecord(deps, r.requestId, (rec) => recordVerification(rec, verification));
  const placed = `StackSet instances under ${r.toOrganizationalUnit} only`;
  if (verification.blocking.length > 0)
    return end(deps, r, 'FAILED', `${placed}; controls not passing: ${verification.blocking.join(', ')}`);
  return end(deps, r, 'SUCCEEDED', `${placed}; ${verification.summary.passed} controls passed`);
}

/** Why the redeploy no longer applies (the account was closed or is gone), if it does not. */
async function stale(deps: LifecycleDeps, r: Redeploy): Promise<string | undefined> {
  if (r.stage === 'MOVE') return undefined;
  const record = await deps.store.get(r.requestId);
  if (!record) return 'its request record is gone';
  const state = accountStateOf(record);
  if (state === 'SUSPENDED' || state === 'CLOSED') return `the account is ${state}`;
  if (record.spec.organizationalUnit !== r.toOrganizationalUnit)
    return `the account is in ${record.spec.organizationalUnit} now`;
  return undefined;
}

/** How long a redeploy may run: a baseline phase's deadline for each of its two operations. */
function deadlineMs(deps: LifecycleDeps): number {
  const configured = deps.config.config.worker.phaseDeadlineMinutes.baseline;
  return 2 * (configured === undefined ? PHASE_DEADLINE_MS.baseline : configured * 60_000);
}

/** One short step of a redeploy at its current stage; nothing here sleeps. */
export async function runRedeployStage(
  deps: LifecycleDeps,
  r: Redeploy,
  job: RedeployJob,
  now: Date,
): Promise<Outcome> {
  const dropped = await stale(deps, r);
  if (dropped) return done(`dropped: ${dropped}`);
  if (now.getTime() - Date.parse(r.requestedAt) > deadlineMs(deps))
    return end(
      deps,
      r,
      'FAILED',
      `did not finish within ${Math.round(deadlineMs(deps) / 60_000)} minutes (last: ${job.detail ?? '-'})`,
    );
  switch (r.stage) {
    case 'MOVE':
      return move(deps, r);
    case 'CREATE':
      return createUnderNewOu(deps, r, job);
    case 'DELETE':
      return deleteUnderOtherOus(deps, r, job);
    case 'VERIFY':
      return verifyAccount(deps, r);
    case 'SUCCEEDED':
      return done(job.detail);
    case 'FAILED':
      return fail('REDEPLOY_FAILED', job.detail ?? 'failed');
  }
}
