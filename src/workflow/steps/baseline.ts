import { instanceProblems } from '../../domain/stack-instances';
import type { StackSetConfig } from '../../config/schema';
import { operationId } from '../../domain/operation-id';
import { AvfError } from '../../domain/errors';
import type { Batch } from '../coordination/baseline-batch-document';
import { baselineBatches, type BaselineBatches } from '../coordination/baseline-batches';
import { sideBySide } from '../side-by-side';
import { accountIdOf, done, fail, wait, type Step, type StepContext, type Outcome } from '../step';

/** AWS's idempotency token for this request's deployment of this StackSet version. */
export function baselineOperationId(
  storeTag: string,
  requestId: string,
  stackSet: StackSetConfig,
  generation = 0,
): string {
  return operationId(storeTag, requestId, stackSet.name, `v${stackSet.version}`, `g${generation}`);
}

export function stackSetRegions(ctx: StepContext, stackSet: StackSetConfig): string[] {
  return stackSet.regions ?? ctx.deps.config.config.governedRegions;
}

/**
 * Deploys every configured StackSet to the account in its regions, then checks it. Success is
 * judged per stack instance of this account, not by the operation alone, so one bad account does
 * not fail the others of its batch. With `worker.baselineBatching` (the default) the accounts of
 * many requests share one CreateStackInstances per StackSet; without it each request starts its own.
 */
export const baseline: Step = async (ctx) => {
  const waiting: string[] = [];
  const finished: string[] = [];
  const failed: string[] = [];
  /** The soonest look-again time a StackSet asked for (none: the phase's polling policy). */
  let soonest: number | undefined;
  const batched = ctx.deps.config.config.worker.baselineBatching.enabled;
  // The StackSets are independent: side by side, each outcome in config order once all are in.
  const stackSets = ctx.deps.config.config.stackSets;
  // those already judged healthy in this run of the phase are not looked at again
  const deployed = (ctx.record.handles.stackSetsDeployed ??= {});
  const outcomes = await sideBySide(
    stackSets.map((stackSet) => {
      const earlier = deployed[stackSet.name];
      if (earlier !== undefined) return Promise.resolve(done(earlier));
      return batched ? deployInBatch(ctx, stackSet) : deployOne(ctx, stackSet);
    }),
  );
  for (const [i, outcome] of outcomes.entries()) {
    const stackSet = stackSets[i]!;
    if (outcome.kind === 'failed') failed.push(outcome.reason);
    else (outcome.kind === 'wait' ? waiting : finished).push(outcome.detail ?? stackSet.name);
    if (outcome.kind === 'done') deployed[stackSet.name] = outcome.detail ?? stackSet.name;
    if (outcome.kind === 'wait' && outcome.afterMs !== undefined)
      soonest = Math.min(soonest ?? Infinity, outcome.afterMs);
  }
  if (waiting.length > 0 && failed.length === 0) return wait(waiting.join('; '), soonest);
  delete ctx.record.handles.stackSetsDeployed;
  // Every StackSet is judged before the request fails, so the reason names all that failed.
  if (failed.length > 0) return fail('STACK_INSTANCE_FAILED', failed.join(' | '));
  return done(finished.join('; ') || 'no StackSets configured');
};

/** This request's part in its StackSet's batched deployment (see coordination/baseline-batches). */
async function deployInBatch(ctx: StepContext, stackSet: StackSetConfig): Promise<Outcome> {
  const { record, deps } = ctx;
  if (record.handles.stackSetOperations?.[stackSet.name]) return deployOne(ctx, stackSet);
  const accountId = accountIdOf(record);
  const batches = baselineBatches(deps, stackSet);
  const ouId = await deps.directory.ouId(record.spec.organizationalUnit);
  const attemptStartedAt =
    record.steps.find((s) => s.name === 'baseline')?.startedAt ?? ctx.now.toISOString();
  const turn = await batches.turn({ requestId: record.id, accountId, ouId }, attemptStartedAt);
  switch (turn.kind) {
    case 'pending':
      return wait(
        `${stackSet.name}: waiting to join a batch (${turn.waiting} account(s) pending)`,
        unscaled(ctx, turn.lookAgainMs),
      );
    case 'wait':
      return wait(
        `${stackSet.name}: batch ${turn.batch.id} ${turn.batch.state} (${turn.batch.members.length} accounts)`,
        unscaled(ctx, turn.lookAgainMs),
      );
    case 'start':
      return startBatch(ctx, batches, stackSet.name, turn.batch);
    case 'poll':
      return pollBatch(ctx, batches, stackSet.name, turn.batch);
    case 'ended':
      return judgeBatch(ctx, batches, stackSet, turn.batch);
  }
}

/** A wait the coordinator computed on the scaled clock, as a step's `afterMs` (which the reconciler scales). */
function unscaled(ctx: StepContext, ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / ctx.deps.config.config.worker.timeScale;
}

async function startBatch(
  ctx: StepContext,
  batches: BaselineBatches,
  stackSetName: string,
  batch: Batch,
): Promise<Outcome> {
  try {
    const operationId = await ctx.deps.aws.stackSets.createStackInstances({
      stackSetName,
      organizationalUnitIds: [...new Set(batch.members.map((m) => m.ouId))],
      accountIds: batch.members.map((m) => m.accountId),
      regions: batch.regions,
      operationId: batch.id,
    });
    const lookAgainMs = await batches.started(batch.id, operationId, ctx.record.id);
    return wait(
      `${stackSetName}: started batch ${batch.id} for ${batch.members.length} account(s)`,
      unscaled(ctx, lookAgainMs),
    );
  } catch (e) {
    if (e instanceof AvfError && !e.retryable) {
      // AWS refused the operation itself: every member learns why from its own judgement.
      await batches.ended(batch.id, 'NOT_STARTED', `${e.code}: ${e.message}`);
      return wait(`${stackSetName}: batch ${batch.id} was refused: ${e.message}`, 0);
    }
    await batches.checked(batch.id, ctx.record.id);
    throw e;
  }
}

async function pollBatch(
  ctx: StepContext,
  batches: BaselineBatches,
  stackSetName: string,
  batch: Batch,
): Promise<Outcome> {
  try {
    const operation = await ctx.deps.aws.stackSets.getOperation(stackSetName, batch.operationId ?? batch.id);
    if (operation.status === 'QUEUED' || operation.status === 'RUNNING' || operation.status === 'STOPPING') {
      const lookAgainMs = await batches.checked(batch.id, ctx.record.id);
      return wait(
        `${stackSetName}: batch ${batch.id} ${operation.status} (${batch.members.length} accounts)`,
        unscaled(ctx, lookAgainMs),
      );
    }
    const judged = await judgeMembers(ctx, stackSetName, batch);
    await batches.ended(batch.id, operation.status, operation.reason, judged);
    return wait(`${stackSetName}: batch ${batch.id} ${operation.status}`, 0);
  } catch (e) {
    await batches.checked(batch.id, ctx.record.id);
    throw e;
  }
}

/**
 * The batch's members' stack instances, from one listing of the operation's instances (a page per
 * hundred) instead of one per member: request id → the member's instance problems. A member with
 * a region missing from the listing (another operation has touched the instance since) is left
 * out: it reads its own.
 */
async function judgeMembers(
  ctx: StepContext,
  stackSetName: string,
  batch: Batch,
): Promise<Map<string, string[]>> {
  const instances = await ctx.deps.aws.stackSets.listStackInstancesOfOperation(
    stackSetName,
    batch.operationId ?? batch.id,
  );
  const judged = new Map<string, string[]>();
  for (const member of batch.members) {
    const own = instances.filter((i) => i.account === member.accountId);
    if (batch.regions.every((region) => own.some((i) => i.region === region)))
      judged.set(member.requestId, instanceProblems(own, member.accountId, batch.regions));
  }
  return judged;
}

/**
 * The batch ended: this account's own stack instances decide (as judged for the whole batch when
 * it ended, else read now), then it leaves the batch.
 */
async function judgeBatch(
  ctx: StepContext,
  batches: BaselineBatches,
  stackSet: StackSetConfig,
  batch: Batch,
): Promise<Outcome> {
  const accountId = accountIdOf(ctx.record);
  const regions = batch.regions;
  const judged = batch.members.find((m) => m.requestId === ctx.record.id)?.instanceProblems;
  const problems =
    judged ??
    instanceProblems(
      await ctx.deps.aws.stackSets.listStackInstances(stackSet.name, accountId),
      accountId,
      regions,
    );
  await batches.leave(batch.id, ctx.record.id);
  if (problems.length === 0) {
    // Remembered, so a retry of a later failure re-checks this operation instead of redeploying.
    (ctx.record.handles.stackSetOperations ??= {})[stackSet.name] = batch.operationId ?? batch.id;
    return done(
      `${stackSet.name} v${stackSet.version} in ${regions.join(', ')} (batch ${batch.id}, ${batch.members.length} accounts)`,
    );
  }
  return fail(
    'STACK_INSTANCE_FAILED',
    `${stackSet.name} v${stackSet.version} did not deploy to account ${accountId}: ${problems.join('; ')}` +
      (batch.reason ? ` (batch ${batch.id}: ${batch.status ?? ''}, ${batch.reason})` : '') +
      '; fix the cause in the StackSet console or template, then POST …/retry',
  );
}

async function deployOne(ctx: StepContext, stackSet: StackSetConfig): Promise<Outcome> {
  const { record, deps } = ctx;
  const accountId = accountIdOf(record);
  const regions = stackSetRegions(ctx, stackSet);
  const operations = (record.handles.stackSetOperations ??= {});
  let operationId = operations[stackSet.name];
  if (!operationId) {
    // Deterministic, so a repeat after a crash is the same operation: persisting after the call is
    // safe. Persist the id AWS returns (moto substitutes its own).
    operationId = await deps.aws.stackSets.createStackInstances({
      stackSetName: stackSet.name,
      organizationalUnitIds: [await deps.directory.ouId(record.spec.organizationalUnit)],
      accountIds: [accountId],
      regions,
      operationId: baselineOperationId(
        deps.storeTag,
        record.id,
        stackSet,
        record.handles.baselineGeneration ?? 0,
      ),
    });
    operations[stackSet.name] = operationId;
    await ctx.checkpoint();
  }
  const operation = await deps.aws.stackSets.getOperation(stackSet.name, operationId);
  if (operation.status === 'QUEUED' || operation.status === 'RUNNING' || operation.status === 'STOPPING') {
    return wait(`${stackSet.name}: operation ${operationId} ${operation.status}`);
  }
  const instances = await deps.aws.stackSets.listStackInstances(stackSet.name, accountId);
  const problems = instanceProblems(instances, accountId, regions);
  if (problems.length === 0) return done(`${stackSet.name} v${stackSet.version} in ${regions.join(', ')}`);
  // A retry must start a new operation: the failed one's id would only return the failed operation.
  delete operations[stackSet.name];
  record.handles.baselineGeneration = (record.handles.baselineGeneration ?? 0) + 1;
  return fail(
    'STACK_INSTANCE_FAILED',
    `${stackSet.name} v${stackSet.version} did not deploy to account ${accountId}: ${problems.join('; ')}` +
      (operation.reason ? ` (operation ${operationId}: ${operation.status}, ${operation.reason})` : '') +
      '; fix the cause in the StackSet console or template, then POST …/retry',
  );
}
