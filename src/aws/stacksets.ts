import {
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DeleteStackInstancesCommand,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  DetectStackSetDriftCommand,
  UpdateStackInstancesCommand,
  UpdateStackSetCommand,
  paginateListStackInstances,
  type ListStackInstancesCommandInput,
  type CallAs,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import type {
  StackInstanceSummary,
  StackInstanceTargets,
  StackSetDefinition,
  StackSetDrift,
  StackSetOperationStatus,
  StackSetsPort,
} from '../domain/ports/aws';
import { requireOurOperation, scopeOf, type OperationScope } from '../domain/operation-ownership';
import type { ClientFactory } from './clients';
import { OPERATION_PREFERENCES, callAsOption, definitionInput, deploymentTargets } from './stackset-inputs';
import { call, callTolerating } from './errors';
import { Pages } from './pagination';

/** CloudFormation StackSets (service-managed, in the management account's home region). */
export class StackSetsAdapter implements StackSetsPort {
  private readonly client: CloudFormationClient;
  private readonly pages: Pages<CloudFormationClient>;

  /** `CallAs` on every call: DELEGATED_ADMIN when the factory runs in a delegated administrator account. */
  private readonly callAs: { CallAs?: CallAs };

  constructor(clients: ClientFactory, options: { maxPages?: number; callAs?: CallAs } = {}) {
    this.client = clients.cloudFormation();
    this.pages = new Pages(this.client, options.maxPages);
    this.callAs = callAsOption(options.callAs ?? process.env.AVF_STACKSETS_CALL_AS);
  }

  /** cloudformation:DescribeStackSet — undefined when it does not exist. */
  async describeStackSet(name: string): Promise<(StackSetDefinition & { status: string }) | undefined> {
    const out = await callTolerating('cloudformation:DescribeStackSet', ['StackSetNotFoundException'], () =>
      this.client.send(new DescribeStackSetCommand({ StackSetName: name, ...this.callAs })),
    );
    const set = out?.StackSet;
    if (!set) return undefined;
    return {
      name: set.StackSetName ?? name,
      description: set.Description ?? '',
      templateBody: set.TemplateBody ?? '',
      parameters: Object.fromEntries(
        (set.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
      ),
      capabilities: set.Capabilities ?? [],
      status: set.Status ?? '',
    };
  }

  /** cloudformation:CreateStackSet — a stack set of that name already existing is success. */
  async createStackSet(def: StackSetDefinition): Promise<void> {
    await callTolerating('cloudformation:CreateStackSet', ['NameAlreadyExistsException'], () =>
      this.client.send(
        new CreateStackSetCommand({
          ...definitionInput(def),
          ...this.callAs,
          PermissionModel: 'SERVICE_MANAGED',
          AutoDeployment: { Enabled: false },
          ManagedExecution: { Active: true },
          // Deterministic: a retried request is recognised rather than creating a second set.
          ClientRequestToken: `create-${def.name}`.slice(0, 128),
        }),
      ),
    );
  }

  /** cloudformation:UpdateStackSet — the same operation id again is success if it is ours (AWS's idempotency). */
  async updateStackSet(
    def: StackSetDefinition,
    operationId: string,
    targets?: StackInstanceTargets,
  ): Promise<void> {
    const asked = { action: 'UPDATE' as const, ...(targets ? scopeOf(targets) : {}) };
    await this.startOperation('cloudformation:UpdateStackSet', def.name, operationId, asked, () =>
      this.client.send(
        new UpdateStackSetCommand({
          ...definitionInput(def),
          ...this.callAs,
          ...(targets ? deploymentTargets(targets) : {}),
          OperationId: operationId,
          OperationPreferences: OPERATION_PREFERENCES,
        }),
      ),
    );
  }

  /** cloudformation:UpdateStackInstances — the same operation id again returns that operation. */
  async updateStackInstances(
    input: StackInstanceTargets & { stackSetName: string; operationId: string },
  ): Promise<string> {
    const asked = { action: 'UPDATE' as const, ...scopeOf(input) };
    return this.startOperation(
      'cloudformation:UpdateStackInstances',
      input.stackSetName,
      input.operationId,
      asked,
      () => this.client.send(new UpdateStackInstancesCommand(this.instancesInput(input))),
    );
  }

  /** cloudformation:DetectStackSetDrift — the same operation id again returns that operation. */
  async detectStackSetDrift(stackSetName: string, operationId: string): Promise<string> {
    const asked = { action: 'DETECT_DRIFT' as const };
    return this.startOperation('cloudformation:DetectStackSetDrift', stackSetName, operationId, asked, () =>
      this.client.send(
        new DetectStackSetDriftCommand({
          ...this.callAs,
          StackSetName: stackSetName,
          OperationId: operationId,
          OperationPreferences: OPERATION_PREFERENCES,
        }),
      ),
    );
  }

  /** cloudformation:DescribeStackSet — the drift detection details of the last detection. */
  async getStackSetDrift(stackSetName: string): Promise<StackSetDrift> {
    const out = await call('cloudformation:DescribeStackSet', () =>
      this.client.send(new DescribeStackSetCommand({ StackSetName: stackSetName, ...this.callAs })),
    );
    const d = out.StackSet?.StackSetDriftDetectionDetails;
    return {
      status: d?.DriftStatus ?? 'NOT_CHECKED',
      driftedInstances: d?.DriftedStackInstancesCount ?? 0,
      inSyncInstances: d?.InSyncStackInstancesCount ?? 0,
      ...(d?.LastDriftCheckTimestamp ? { lastCheckedAt: d.LastDriftCheckTimestamp.toISOString() } : {}),
    };
  }

  /** cloudformation:CreateStackInstances — the same operation id again returns that operation. */
  async createStackInstances(input: {
    stackSetName: string;
    organizationalUnitIds: string[];
    accountIds: string[];
    regions: string[];
    operationId: string;
  }): Promise<string> {
    const asked = { action: 'CREATE' as const, ...scopeOf(input) };
    return this.startOperation(
      'cloudformation:CreateStackInstances',
      input.stackSetName,
      input.operationId,
      asked,
      () => this.client.send(new CreateStackInstancesCommand(this.instancesInput(input))),
    );
  }

  /** cloudformation:DeleteStackInstances — the same operation id again returns that operation. */
  async deleteStackInstances(
    input: StackInstanceTargets & { stackSetName: string; operationId: string },
  ): Promise<string> {
    const asked = { action: 'DELETE' as const, ...scopeOf(input) };
    return this.startOperation(
      'cloudformation:DeleteStackInstances',
      input.stackSetName,
      input.operationId,
      asked,
      () =>
        this.client.send(
          new DeleteStackInstancesCommand({ ...this.instancesInput(input), RetainStacks: false }),
        ),
    );
  }

  /** What every stack-instance operation sends: its targets, all regions at once, its OperationId. */
  private instancesInput(input: StackInstanceTargets & { stackSetName: string; operationId: string }) {
    return {
      ...this.callAs,
      StackSetName: input.stackSetName,
      ...deploymentTargets(input),
      OperationId: input.operationId,
      OperationPreferences: OPERATION_PREFERENCES,
    };
  }

  /**
   * Sends an operation whose OperationId is AWS's idempotency token: the same id again is refused
   * with OperationIdAlreadyExistsException. That operation is taken as ours only when
   * DescribeStackSetOperation shows the action and targets we asked for (our ids carry the
   * store's tag, so only a copy of our store or a hand-made id can collide); otherwise
   * OPERATION_ID_TAKEN. Returns the id AWS answers.
   */
  private async startOperation(
    action: string,
    stackSetName: string,
    operationId: string,
    asked: OperationScope,
    send: () => Promise<{ OperationId?: string }>,
  ): Promise<string> {
    const out = await callTolerating(action, ['OperationIdAlreadyExistsException'], send);
    if (out) return out.OperationId ?? operationId;
    requireOurOperation(
      stackSetName,
      operationId,
      asked,
      await this.operationScope(stackSetName, operationId),
    );
    return operationId;
  }

  /** cloudformation:DescribeStackSetOperation — the action and targets of an existing operation. */
  private async operationScope(stackSetName: string, operationId: string): Promise<Partial<OperationScope>> {
    const op = await this.describeOperation(stackSetName, operationId);
    const targets = op?.DeploymentTargets;
    return {
      ...(op?.Action ? { action: op.Action } : {}),
      ...(targets?.Accounts ? { accountIds: targets.Accounts } : {}),
      ...(targets?.OrganizationalUnitIds ? { organizationalUnitIds: targets.OrganizationalUnitIds } : {}),
    };
  }

  private async describeOperation(stackSetName: string, operationId: string) {
    const out = await call('cloudformation:DescribeStackSetOperation', () =>
      this.client.send(
        new DescribeStackSetOperationCommand({
          StackSetName: stackSetName,
          OperationId: operationId,
          ...this.callAs,
        }),
      ),
    );
    return out.StackSetOperation;
  }

  /** cloudformation:DescribeStackSetOperation */
  async getOperation(
    stackSetName: string,
    operationId: string,
  ): Promise<{ status: StackSetOperationStatus; reason?: string }> {
    const operation = await this.describeOperation(stackSetName, operationId);
    return { status: operation?.Status ?? 'QUEUED', reason: operation?.StatusReason };
  }

  /** cloudformation:ListStackInstances — filtered here too, since moto ignores the account filter. */
  async listStackInstances(stackSetName: string, accountId?: string): Promise<StackInstanceSummary[]> {
    const instances = await this.instances({
      StackSetName: stackSetName,
      ...(accountId ? { StackInstanceAccount: accountId } : {}),
    });
    return instances.filter((i) => accountId === undefined || i.account === accountId);
  }

  /**
   * cloudformation:ListStackInstances with the LAST_OPERATION_ID filter — filtered here too, since
   * moto ignores filters (and names no last operation: its instances are all kept).
   */
  async listStackInstancesOfOperation(
    stackSetName: string,
    operationId: string,
  ): Promise<StackInstanceSummary[]> {
    const instances = await this.instances({
      StackSetName: stackSetName,
      Filters: [{ Name: 'LAST_OPERATION_ID', Values: operationId }],
    });
    return instances.filter((i) => i.lastOperationId === undefined || i.lastOperationId === operationId);
  }

  private async instances(
    input: Omit<ListStackInstancesCommandInput, 'CallAs'>,
  ): Promise<StackInstanceSummary[]> {
    const instances = await this.pages.collect(
      'cloudformation:ListStackInstances',
      paginateListStackInstances,
      { ...input, ...this.callAs },
      (page) => page.Summaries,
    );
    return instances.map((i) => ({
      account: i.Account ?? '',
      region: i.Region ?? '',
      status: i.Status ?? '',
      detailedStatus: i.StackInstanceStatus?.DetailedStatus,
      reason: i.StatusReason,
      organizationalUnitId: i.OrganizationalUnitId,
      lastOperationId: i.LastOperationId,
    }));
  }
}
