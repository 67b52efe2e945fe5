import { listParam, OuTargets, type TargetChange } from './ou-targets';
import { seededRandom } from './prng';
import { awsError, escapeXml, withFormParam, type AwsCall } from './protocol';
import { oneAtATime, passThrough, type Behaviour, type BehaviourContext, type Handled } from './upstream';
import { rewriteMembers, setTag, tagValue } from './xml';

interface TrackedOperation {
  id: string;
  motoId: string;
  stackSetName: string;
  action: string;
  /** Account ids it touches; undefined = every instance (UpdateStackSet, OU targets). */
  accounts?: Set<string>;
  regions: Set<string>;
  startsAt: number;
  endsAt: number;
  failed: boolean;
  failedInstances: Set<string>;
}

const OPERATIONS = ['CreateStackInstances', 'UpdateStackInstances', 'DeleteStackInstances', 'UpdateStackSet'];
/** Stack instances of one StackSet deployed at once (docs/aws-limits.md: 100 per StackSet). */
const MAX_CONCURRENT_INSTANCES = 100;

/**
 * moto ignores AccountFilterType and deploys a SERVICE_MANAGED set to every account of the target
 * OUs, so a second account's deployment redeploys (and fails on) the first's. AWS deploys
 * INTERSECTION to the listed accounts only. moto takes a plain account list only for SELF_MANAGED
 * sets, so service-managed sets are kept self-managed in moto (and reported as service-managed),
 * their instance operations go to moto as top-level `Accounts`, and the OU targets of their
 * instances are kept here (ou-targets.ts).
 */
function asSelfManaged(call: AwsCall): Buffer {
  const form = new URLSearchParams(
    [...call.form.entries()].filter(([k]) => !k.startsWith('AutoDeployment.')),
  );
  form.set('PermissionModel', 'SELF_MANAGED');
  return Buffer.from(form.toString(), 'utf8');
}

function targetsAsAccounts(call: AwsCall): Buffer | undefined {
  const accounts = listParam(call.form, 'DeploymentTargets.Accounts');
  if (accounts.length === 0) return undefined;
  const form = new URLSearchParams(
    [...call.form.entries()].filter(([k]) => !k.startsWith('DeploymentTargets.')),
  );
  accounts.forEach((a, i) => form.set(`Accounts.member.${i + 1}`, a));
  return Buffer.from(form.toString(), 'utf8');
}

/**
 * StackSet operations as AWS runs them: QUEUED then RUNNING for `operationMs`, one at a time per
 * StackSet (a second gets OperationInProgressException) unless the set has ManagedExecution, in
 * which case a second is accepted and queues behind the ones in flight; OperationId is
 * the idempotency token; seeded failed operations and failed stack instances.
 */
export function stackSetBehaviour(ctx: BehaviourContext): Behaviour {
  const cfg = ctx.profile.stackSets;
  const random = seededRandom(ctx.profile.seed + 101);
  const managed = new Map<string, boolean>();
  const serviceManaged = new Set<string>();
  const operations = new Map<string, TrackedOperation>();
  const ouTargets = new OuTargets(ctx);
  let counter = 0;

  const key = (set: string, id: string) => `${set}\u0000${id}`;
  const onSet = (set: string) => [...operations.values()].filter((o) => o.stackSetName === set);
  const statusOf = (o: TrackedOperation): string => {
    const now = ctx.now();
    if (now < o.startsAt) return 'QUEUED';
    if (now < o.endsAt) return 'RUNNING';
    return o.failed ? 'FAILED' : 'SUCCEEDED';
  };

  function rememberManagedExecution(call: AwsCall): void {
    const active = call.form.get('ManagedExecution.Active');
    const name = call.form.get('StackSetName') ?? '';
    if (active !== null) managed.set(name, active === 'true');
  }

  async function createStackSet(call: AwsCall): Promise<Handled> {
    rememberManagedExecution(call);
    const name = call.form.get('StackSetName') ?? '';
    const service = call.form.get('PermissionModel') === 'SERVICE_MANAGED';
    if (service) serviceManaged.add(name);
    const handled = await passThrough(ctx, call, service ? asSelfManaged(call) : undefined);
    return { ...handled, detail: { stackSetName: name } };
  }

  async function describeStackSet(call: AwsCall): Promise<Handled> {
    const handled = await passThrough(ctx, call);
    if (!serviceManaged.has(call.form.get('StackSetName') ?? '')) return handled;
    const body = setTag(handled.response.body, 'PermissionModel', 'SERVICE_MANAGED');
    return { ...handled, response: { ...handled.response, body } };
  }

  /** How a service-managed set's instance operation reaches moto, and what it does to OU targets. */
  async function targetChange(call: AwsCall, stackSetName: string): Promise<TargetChange | undefined> {
    if (!serviceManaged.has(stackSetName)) return undefined;
    if (call.action === 'CreateStackInstances') return ouTargets.create(call, stackSetName);
    if (call.action === 'DeleteStackInstances') return ouTargets.delete(call, stackSetName);
    const body = targetsAsAccounts(call);
    return body ? { body, apply: () => undefined } : undefined;
  }

  async function startOperation(call: AwsCall): Promise<Handled> {
    const stackSetName = call.form.get('StackSetName') ?? '';
    const id = call.form.get('OperationId') ?? `avf-behaviour-op-${++counter}`;
    const accountList = [
      ...listParam(call.form, 'DeploymentTargets.Accounts'),
      ...listParam(call.form, 'Accounts'),
    ];
    const accounts =
      call.action === 'UpdateStackSet' || accountList.length === 0 ? undefined : new Set(accountList);
    const detail = { stackSetName, operationId: id, accounts: accountList.join(',') };
    const refuse = (code: string, message: string): Handled => ({
      response: awsError(call, 400, code, message),
      outcome: 'rejected',
      code,
      detail,
    });
    if (operations.has(key(stackSetName, id)))
      return refuse('OperationIdAlreadyExistsException', `The operation ID ${id} already exists.`);
    const now = ctx.now();
    const active = onSet(stackSetName).filter((o) => o.endsAt > now);
    if (active.length > 0 && !managed.get(stackSetName))
      return refuse(
        'OperationInProgressException',
        `Another Operation on StackSet ${stackSetName} is in progress: ${active[0]?.id ?? ''}`,
      );
    if (call.action === 'UpdateStackSet') rememberManagedExecution(call);
    const change = await targetChange(call, stackSetName);
    const handled = await passThrough(ctx, call, change?.body);
    if (handled.response.status >= 400) return { ...handled, detail };
    change?.apply();
    // AWS: "if there are already running or queued operations, StackSets queues all incoming
    // operations even if they are non-conflicting" (docs/aws-limits.md, StackSets), so one runs at a time.
    const startsAt = Math.max(now, ...active.map((o) => o.endsAt));
    const regions = new Set(listParam(call.form, 'Regions'));
    // At most 100 stack instances of a StackSet deploy at once: bigger operations take longer.
    const waves = Math.max(
      1,
      Math.ceil(((accounts?.size ?? 1) * Math.max(1, regions.size)) / MAX_CONCURRENT_INSTANCES),
    );
    const failed = random() < cfg.failedOperationRate;
    const failedInstances = new Set(
      [...(accounts ?? [])]
        .flatMap((a) => [...regions].map((r) => `${a}/${r}`))
        .filter(() => random() < cfg.failedInstanceRate),
    );
    const motoId = tagValue(handled.response.body, 'OperationId') ?? id;
    const op: TrackedOperation = {
      ...{ id, motoId, stackSetName, action: call.action, accounts, regions, failed, failedInstances },
      ...{ startsAt, endsAt: startsAt + waves * cfg.operationMs },
    };
    operations.set(key(stackSetName, id), op);
    const body = setTag(handled.response.body, 'OperationId', id);
    return { ...handled, response: { ...handled.response, body }, detail };
  }

  async function describeOperation(call: AwsCall): Promise<Handled> {
    const op = operations.get(key(call.form.get('StackSetName') ?? '', call.form.get('OperationId') ?? ''));
    if (!op) return passThrough(ctx, call);
    const handled = await passThrough(ctx, call, withFormParam(call, 'OperationId', op.motoId));
    if (handled.response.status >= 400) return handled;
    const status = statusOf(op);
    let body = setTag(setTag(handled.response.body, 'OperationId', op.id), 'Status', status);
    if (status === 'QUEUED' || status === 'RUNNING')
      body = body.replace(/<EndTimestamp>[^<]*<\/EndTimestamp>/, '');
    if (status === 'FAILED')
      body = body.replace(
        '</Status>',
        `</Status><StatusReason>${escapeXml('injected failure (avf behaviour layer)')}</StatusReason>`,
      );
    return { ...handled, response: { ...handled.response, body } };
  }

  /** The latest operation touching this instance decides what the instance shows. */
  function instanceState(
    set: string,
    account: string,
    region: string,
  ): { status: string; detailed: string } | undefined {
    const op = onSet(set)
      .filter((o) => o.action !== 'DeleteStackInstances' && (!o.accounts || o.accounts.has(account)))
      .filter((o) => o.regions.size === 0 || o.regions.has(region))
      .sort((a, b) => b.startsAt - a.startsAt)[0];
    if (!op) return undefined;
    const status = statusOf(op);
    if (status === 'QUEUED') return { status: 'OUTDATED', detailed: 'PENDING' };
    if (status === 'RUNNING') return { status: 'OUTDATED', detailed: 'RUNNING' };
    if (op.failed || op.failedInstances.has(`${account}/${region}`))
      return { status: 'OUTDATED', detailed: 'FAILED' };
    return undefined;
  }

  async function listInstances(call: AwsCall): Promise<Handled> {
    const handled = await passThrough(ctx, call);
    if (handled.response.status >= 400) return handled;
    const set = call.form.get('StackSetName') ?? '';
    const body = rewriteMembers(handled.response.body, (member) => {
      const state = instanceState(set, tagValue(member, 'Account') ?? '', tagValue(member, 'Region') ?? '');
      if (!state) return member;
      let out = setTag(setTag(member, 'Status', state.status), 'DetailedStatus', state.detailed);
      if (state.detailed === 'FAILED')
        out = setTag(out, 'StatusReason', 'injected failure (avf behaviour layer)');
      return out;
    });
    const annotated = rewriteMembers(body, (member) => ouTargets.annotateSummary(set, member));
    return { ...handled, response: { ...handled.response, body: annotated } };
  }

  async function describeInstance(call: AwsCall): Promise<Handled> {
    const handled = await passThrough(ctx, call);
    if (handled.response.status >= 400) return handled;
    const [set, account, region] = ['StackSetName', 'StackInstanceAccount', 'StackInstanceRegion'].map(
      (name) => call.form.get(name) ?? '',
    );
    const body = ouTargets.annotateInstance(set ?? '', account ?? '', region ?? '', handled.response.body);
    return { ...handled, response: { ...handled.response, body } };
  }

  const handlers: Behaviour['handlers'] = {
    'cloudformation:CreateStackSet': createStackSet,
    'cloudformation:DescribeStackSet': describeStackSet,
    'cloudformation:DescribeStackSetOperation': describeOperation,
    'cloudformation:ListStackInstances': listInstances,
    'cloudformation:DescribeStackInstance': describeInstance,
  };
  // One call at a time per StackSet from the in-progress check to the operation's registration.
  const start = oneAtATime(startOperation, (call) => call.form.get('StackSetName') ?? '');
  for (const action of OPERATIONS) handlers[`cloudformation:${action}`] = start;
  return { handlers };
}
