import type { StackSetConfig } from '../../config/schema';
import type { StackInstanceSummary } from '../../domain/ports/aws';
import { accountIdOf, done, fail, wait, type Step, type StepContext, type StepOutcome } from '../step';

/** AWS's idempotency token for this request's deployment of this StackSet version. */
export function baselineOperationId(requestId: string, stackSet: StackSetConfig, generation = 0): string {
  return `avf-${requestId}-${stackSet.name}-v${stackSet.version}-g${generation}`
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 128);
}

export function stackSetRegions(ctx: StepContext, stackSet: StackSetConfig): string[] {
  return stackSet.regions ?? ctx.deps.config.config.governedRegions;
}

/**
 * Deploys every configured StackSet to the account in its regions: starts CreateStackInstances with
 * a deterministic OperationId (a repeat is the same operation), then checks it. Success is judged
 * per stack instance of this account, not by the operation alone.
 */
export const baseline: Step = async (ctx) => {
  const waiting: string[] = [];
  const finished: string[] = [];
  for (const stackSet of ctx.deps.config.config.stackSets) {
    const outcome = await deployOne(ctx, stackSet);
    if (outcome.kind === 'fail') return outcome;
    (outcome.kind === 'wait' ? waiting : finished).push(outcome.detail ?? stackSet.name);
  }
  if (waiting.length > 0) return wait(waiting.join('; '));
  return done(finished.join('; ') || 'no StackSets configured');
};

async function deployOne(ctx: StepContext, stackSet: StackSetConfig): Promise<StepOutcome> {
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
      operationId: baselineOperationId(record.id, stackSet, record.handles.baselineGeneration ?? 0),
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

function instanceProblems(instances: StackInstanceSummary[], accountId: string, regions: string[]): string[] {
  return regions.flatMap((region) => {
    const instance = instances.find((i) => i.account === accountId && i.region === region);
    if (!instance) return [`${region}: no stack instance`];
    const ok = instance.status === 'CURRENT' && (instance.detailedStatus ?? 'SUCCEEDED') === 'SUCCEEDED';
    return ok
      ? []
      : [`${region}: ${instance.status}/${instance.detailedStatus ?? '-'} ${instance.reason ?? ''}`.trim()];
  });
}
