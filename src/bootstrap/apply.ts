import type { LoadedConfig } from '../config/load';
import { AvfError } from '../domain/errors';
import type { AwsPorts, CreateAccountStatus, IdentityCenterInstance } from '../domain/ports/aws';
import type { BootstrapAction, FoundationAccountKey, OuPath } from './actions';
import { FinanceRunner } from './finance-run';
import { isFinanceAction } from './finance';
import { policyKey, type ActualFoundation } from './observe';
import { emulatorGap, orgServiceGaps } from './org-services';
import { isOrgServiceAction, OrgServicesRunner } from './org-services-run';
import { planBootstrap, type PlanOptions } from './plan';
import { emulatorDeclared } from '../config/emulator';

export interface ApplyOptions extends PlanOptions {
  /** Plan only: print what would change and change nothing. */
  dryRun?: boolean;
  /** Status checks of a CreateAccount request or StackSet operation before giving up (default 120). */
  maxPolls?: number;
  /** Pause between status checks (default 5,000 ms). */
  pollIntervalMs?: number;
  /** How to pause; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each action runs, for progress output. */
  onAction?: (action: BootstrapAction, index: number, total: number) => void;
}

export interface BootstrapResult {
  dryRun: boolean;
  /** The plan, in order. */
  actions: BootstrapAction[];
  /** How many actions ran (0 on a dry run). */
  applied: number;
  /** Ids of the foundation accounts, where they exist. */
  accounts: Partial<Record<FoundationAccountKey, string>>;
  /** Steps an emulator cannot perform or check (never on real AWS), each with the reason. */
  emulatorGaps: string[];
  /** Steps AWS cannot take yet (a tag key not in the billing data yet): the next run does them. */
  waiting: string[];
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `avf bootstrap`: plans, then runs the actions one by one in order. Every action was planned
 * from a look at the live state, so a second run plans nothing. Long AWS operations are polled
 * with a bounded wait; when it runs out, running bootstrap again resumes the same request.
 */
export async function applyBootstrap(
  loaded: LoadedConfig,
  ports: AwsPorts,
  options: ApplyOptions = {},
): Promise<BootstrapResult> {
  const plan = await planBootstrap(loaded, ports, options);
  const accounts: BootstrapResult['accounts'] = Object.fromEntries(
    Object.entries(plan.actual.accounts).flatMap(([k, a]) => (a.id === undefined ? [] : [[k, a.id]])),
  );
  const { governedRegions, homeRegion } = loaded.config;
  const emulatorGaps = [
    ...orgServiceGaps(governedRegions, homeRegion, plan.actual.orgServices),
    ...plan.actual.finance.gaps,
  ];
  if (options.dryRun)
    return { dryRun: true, actions: plan.actions, applied: 0, accounts, emulatorGaps, waiting: [] };
  const emulator = options.emulator ?? emulatorDeclared();
  const runner = new ActionRunner(loaded, ports, plan.actual, options);
  for (const [i, action] of plan.actions.entries()) {
    options.onAction?.(action, i, plan.actions.length);
    try {
      await runner.run(action);
    } catch (err) {
      const gap = isOrgServiceAction(action) ? emulatorGap(err, emulator) : undefined;
      if (gap === undefined) throw err;
      emulatorGaps.push(`${action.description}: ${gap}`);
    }
  }
  return {
    dryRun: false,
    actions: plan.actions,
    applied: plan.actions.length,
    accounts: { ...accounts, ...runner.created },
    emulatorGaps,
    waiting: runner.finance.waiting,
  };
}

/** Runs one action at a time, remembering the ids of what earlier actions created. */
class ActionRunner {
  /** Foundation accounts this run created. */
  readonly created: Partial<Record<FoundationAccountKey, string>> = {};
  private rootId: string | undefined;
  private readonly ous: Record<OuPath, string>;
  private readonly policies: Record<string, string>;
  private instance: IdentityCenterInstance | undefined;
  private readonly orgServices: OrgServicesRunner;
  readonly finance: FinanceRunner;

  constructor(
    private readonly loaded: LoadedConfig,
    private readonly ports: AwsPorts,
    private readonly actual: ActualFoundation,
    private readonly options: ApplyOptions,
  ) {
    this.rootId = actual.rootId;
    this.ous = { ...actual.ous };
    this.policies = Object.fromEntries(Object.entries(actual.policies).map(([k, p]) => [k, p.id]));
    this.instance = actual.identityCenter;
    this.orgServices = new OrgServicesRunner(
      ports,
      loaded.config.homeRegion,
      actual.orgServices,
      (key) => this.created[key] ?? actual.accounts[key]?.id,
    );
    this.finance = new FinanceRunner(ports, loaded.config.homeRegion, (name) =>
      this.policyId('SERVICE_CONTROL_POLICY', name),
    );
  }

  async run(action: BootstrapAction): Promise<void> {
    if (isOrgServiceAction(action)) return this.orgServices.run(action);
    if (isFinanceAction(action)) return this.finance.run(action);
    const org = this.ports.organizations;
    switch (action.kind) {
      case 'create-organization':
        await org.createOrganization();
        return;
      case 'enable-policy-type':
        return org.enablePolicyType(await this.root(), action.policyType);
      case 'enable-service-access':
        return org.enableAwsServiceAccess(action.servicePrincipal);
      case 'create-ou': {
        const name = action.path.split('/').pop() ?? action.path;
        this.ous[action.path] = await org.createOrganizationalUnit(
          await this.ouId(parentOf(action.path)),
          name,
        );
        return;
      }
      case 'create-policy': {
        const input = {
          name: action.name,
          type: action.policyType,
          description: action.policyDescription,
          content: action.content,
        };
        this.policies[policyKey(action.policyType, action.name)] = await org.createPolicy(input);
        return;
      }
      case 'update-policy':
        return org.updatePolicy(this.policyId(action.policyType, action.name), {
          description: action.policyDescription,
          content: action.content,
        });
      case 'attach-policy':
        return org.attachPolicy(
          this.policyId(action.policyType, action.name),
          await this.ouId(action.target),
        );
      case 'create-account':
        this.created[action.account] = await this.createAccount(action);
        return;
      case 'move-account':
        return org.moveAccount(action.accountId, action.sourceParentId, await this.ouId(action.ouPath));
      case 'create-permission-set':
        await this.ports.identityCenter.createPermissionSet(
          (await this.identityCenter()).instanceArn,
          action.permissionSet,
        );
        return;
      case 'update-permission-set': {
        const arn = this.actual.permissionSets[action.permissionSet.name]?.arn ?? '';
        const { instanceArn } = await this.identityCenter();
        return this.ports.identityCenter.updatePermissionSet(instanceArn, arn, action.permissionSet);
      }
      case 'create-group':
        await this.ports.identityCenter.createGroup(
          (await this.identityCenter()).identityStoreId,
          action.groupName,
        );
        return;
      case 'create-stack-set':
        return this.ports.stackSets.createStackSet(action.stackSet);
      case 'update-stack-set':
        await this.ports.stackSets.updateStackSet(action.stackSet, action.operationId);
        await this.poll(
          `StackSet ${action.stackSet.name} operation ${action.operationId}`,
          () => this.ports.stackSets.getOperation(action.stackSet.name, action.operationId),
          (op) => op.status === 'RUNNING' || op.status === 'QUEUED' || op.status === 'STOPPING',
          (op) =>
            op.status === 'SUCCEEDED'
              ? undefined
              : `the update of StackSet ${action.stackSet.name} ended ${op.status}${op.reason ? `: ${op.reason}` : ''}`,
        );
        return;
    }
  }

  private async createAccount(action: Extract<BootstrapAction, { kind: 'create-account' }>): Promise<string> {
    const org = this.ports.organizations;
    const requestId =
      action.requestId ??
      (
        await org.startCreateAccount({
          email: action.email,
          accountName: action.accountName,
          roleName: this.loaded.config.organization.accessRoleName,
          tags: { 'avf:foundation': action.account },
        })
      ).requestId;
    const status = await this.poll<CreateAccountStatus>(
      `CreateAccount request ${requestId} for ${action.accountName}`,
      () => org.getCreateAccountStatus(requestId),
      (s) => s.state === 'IN_PROGRESS',
      (s) => (s.state === 'SUCCEEDED' && s.accountId !== undefined ? undefined : accountFailure(action, s)),
    );
    const accountId = status.accountId ?? '';
    // CreateAccount puts the account in the root.
    await org.moveAccount(accountId, await this.root(), await this.ouId(action.ouPath));
    return accountId;
  }

  /** Checks until `pending` is false, at most maxPolls times; `failure` names a terminal failure. */
  private async poll<T>(
    what: string,
    check: () => Promise<T>,
    pending: (t: T) => boolean,
    failure: (t: T) => string | undefined,
  ): Promise<T> {
    const maxPolls = this.options.maxPolls ?? 120;
    const sleep = this.options.sleep ?? realSleep;
    for (let i = 0; i < maxPolls; i += 1) {
      const result = await check();
      if (!pending(result)) {
        const message = failure(result);
        if (message !== undefined) throw new AvfError('BOOTSTRAP_FAILED', message);
        return result;
      }
      await sleep(this.options.pollIntervalMs ?? 5000);
    }
    throw new AvfError(
      'BOOTSTRAP_PENDING',
      `${what} is still in progress after ${maxPolls} checks; run avf bootstrap again to resume`,
      {
        retryable: true,
      },
    );
  }

  private async root(): Promise<string> {
    this.rootId ??= (await this.ports.organizations.getRoot()).id;
    return this.rootId;
  }

  private async ouId(path: OuPath): Promise<string> {
    if (path === '') return this.root();
    const id = this.ous[path];
    if (id === undefined)
      throw new AvfError('BOOTSTRAP_FAILED', `OU ${path} does not exist and the plan does not create it`);
    return id;
  }

  private policyId(type: string, name: string): string {
    const id = this.policies[`${type}:${name}`];
    if (id === undefined)
      throw new AvfError('BOOTSTRAP_FAILED', `policy ${name} does not exist and the plan does not create it`);
    return id;
  }

  private async identityCenter(): Promise<IdentityCenterInstance> {
    this.instance ??= await this.ports.identityCenter.getInstance();
    return this.instance;
  }
}

const parentOf = (path: OuPath): OuPath => path.split('/').slice(0, -1).join('/');

function accountFailure(
  action: { account: FoundationAccountKey; accountName: string; email: string },
  s: CreateAccountStatus,
): string {
  const reason = s.failureReason ?? 'no reason given';
  const hint =
    reason === 'EMAIL_ALREADY_EXISTS'
      ? `; ${action.email} already belongs to an AWS account outside this organisation — set another organization.${action.account}.email`
      : '';
  return `CreateAccount for ${action.accountName} <${action.email}> failed: ${reason}${hint}`;
}
