import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DeleteStackInstancesCommand,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  ListStackInstancesCommand,
  OperationIdAlreadyExistsException,
  OperationInProgressException,
  StackSetNotFoundException,
  UpdateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { createClientFactory } from '../../src/aws/clients';
import { StackSetsAdapter } from '../../src/aws/stacksets';

const $metadata = {};
const cfn = mockClient(CloudFormationClient);
const adapter = new StackSetsAdapter(
  createClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }),
);
const def = {
  name: 'avf-baseline',
  description: 'baseline',
  templateBody: '{"Resources":{}}',
  parameters: { Env: 'prod' },
  capabilities: ['CAPABILITY_NAMED_IAM'],
};
const instances = {
  stackSetName: 'avf-baseline',
  organizationalUnitIds: ['ou-1'],
  accountIds: ['111122223333'],
  regions: ['us-east-1', 'eu-west-1'],
  operationId: 'avf-req-1-baseline-1',
};
/** How `instances` reaches AWS: the accounts through their OUs, INTERSECTION, every region. */
const sentTargets = {
  StackSetName: 'avf-baseline',
  DeploymentTargets: {
    OrganizationalUnitIds: ['ou-1'],
    Accounts: ['111122223333'],
    AccountFilterType: 'INTERSECTION',
  },
  Regions: ['us-east-1', 'eu-west-1'],
};
const preferences = {
  RegionConcurrencyType: 'PARALLEL',
  FailureTolerancePercentage: 100,
  MaxConcurrentPercentage: 100,
};

beforeEach(() => cfn.reset());

test('creates a service-managed stack set with managed execution and no automatic deployment', async () => {
  cfn.on(CreateStackSetCommand).resolves({ StackSetId: 'avf-baseline:1' });
  await adapter.createStackSet(def);
  expect(cfn).toHaveReceivedCommandWith(CreateStackSetCommand, {
    StackSetName: 'avf-baseline',
    Description: 'baseline',
    TemplateBody: '{"Resources":{}}',
    Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }],
    Capabilities: ['CAPABILITY_NAMED_IAM'],
    PermissionModel: 'SERVICE_MANAGED',
    AutoDeployment: { Enabled: false },
    ManagedExecution: { Active: true },
  });
});

test('targets the accounts through their OUs with an INTERSECTION filter and the given operation id', async () => {
  cfn.on(CreateStackInstancesCommand).resolves({ OperationId: instances.operationId });
  expect(await adapter.createStackInstances(instances)).toBe(instances.operationId);
  expect(cfn).toHaveReceivedCommandWith(CreateStackInstancesCommand, {
    ...sentTargets,
    OperationId: instances.operationId,
    OperationPreferences: preferences,
  });
});

/** DescribeStackSetOperation's answer for an operation of this action on these targets. */
const existing = (Action: 'CREATE' | 'DELETE', Accounts: string[], OrganizationalUnitIds: string[]) => ({
  StackSetOperation: {
    OperationId: instances.operationId,
    Action,
    Status: 'RUNNING' as const,
    DeploymentTargets: { Accounts, OrganizationalUnitIds, AccountFilterType: 'INTERSECTION' as const },
  },
});

test('the same operation id again is AWS idempotency: returns that operation', async () => {
  cfn
    .on(CreateStackInstancesCommand)
    .rejects(new OperationIdAlreadyExistsException({ message: 'exists', $metadata }));
  // Ours: the action and targets we asked, in any order.
  cfn.on(DescribeStackSetOperationCommand).resolves(existing('CREATE', ['111122223333'], ['ou-1']));
  expect(await adapter.createStackInstances(instances)).toBe(instances.operationId);
  expect(cfn).toHaveReceivedCommandWith(DescribeStackSetOperationCommand, {
    StackSetName: 'avf-baseline',
    OperationId: instances.operationId,
  });
});

test('an existing operation under our id with other targets or action is not ours: OPERATION_ID_TAKEN', async () => {
  cfn
    .on(CreateStackInstancesCommand)
    .rejects(new OperationIdAlreadyExistsException({ message: 'exists', $metadata }));
  cfn.on(DescribeStackSetOperationCommand).resolves(existing('CREATE', ['999999999999'], ['ou-1']));
  await expect(adapter.createStackInstances(instances)).rejects.toMatchObject({
    code: 'OPERATION_ID_TAKEN',
    retryable: false,
    message: expect.stringContaining('accounts 999999999999, not 111122223333'),
  });
  cfn.on(DescribeStackSetOperationCommand).resolves(existing('DELETE', ['111122223333'], ['ou-1']));
  await expect(adapter.createStackInstances(instances)).rejects.toMatchObject({
    code: 'OPERATION_ID_TAKEN',
    message: expect.stringContaining('action DELETE, not CREATE'),
  });
});

test('deletes the instances an OU target holds, stacks and all, idempotently by operation id', async () => {
  cfn
    .on(DeleteStackInstancesCommand)
    .resolvesOnce({ OperationId: 'op-del' })
    .rejects(new OperationIdAlreadyExistsException({ message: 'exists', $metadata }));
  cfn.on(DescribeStackSetOperationCommand).resolves(existing('DELETE', ['111122223333'], ['ou-1']));
  const input = { ...instances, operationId: 'op-del' };
  expect(await adapter.deleteStackInstances(input)).toBe('op-del');
  expect(await adapter.deleteStackInstances(input)).toBe('op-del');
  expect(cfn).toHaveReceivedCommandWith(DeleteStackInstancesCommand, {
    ...sentTargets,
    RetainStacks: false,
    OperationId: 'op-del',
    OperationPreferences: preferences,
  });
});

test('an operation in progress fails retryable', async () => {
  cfn
    .on(CreateStackInstancesCommand)
    .rejects(new OperationInProgressException({ message: 'busy', $metadata }));
  await expect(adapter.createStackInstances(instances)).rejects.toMatchObject({
    awsCode: 'OperationInProgressException',
    retryable: true,
  });
});

test('updates with the operation id and tolerates a repeat', async () => {
  cfn
    .on(UpdateStackSetCommand)
    .rejectsOnce(new OperationIdAlreadyExistsException({ message: 'exists', $metadata }));
  // An update of every instance: only the action is compared.
  cfn.on(DescribeStackSetOperationCommand).resolves({ StackSetOperation: { Action: 'UPDATE' } });
  await expect(adapter.updateStackSet(def, 'op-2')).resolves.toBeUndefined();
  expect(cfn).toHaveReceivedCommandWith(UpdateStackSetCommand, {
    OperationId: 'op-2',
    OperationPreferences: preferences,
  });
});

test.each(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED'] as const)(
  'reports operation status %s',
  async (status) => {
    cfn
      .on(DescribeStackSetOperationCommand)
      .resolves({ StackSetOperation: { Status: status, StatusReason: 'why' } });
    expect(await adapter.getOperation('avf-baseline', 'op-1')).toEqual({ status, reason: 'why' });
  },
);

test('describes a missing stack set as undefined', async () => {
  cfn.on(DescribeStackSetCommand).rejects(new StackSetNotFoundException({ message: 'none', $metadata }));
  expect(await adapter.describeStackSet('nope')).toBeUndefined();
});

test("lists one account's instances, with detailed status, across pages", async () => {
  cfn
    .on(ListStackInstancesCommand)
    .resolvesOnce({
      Summaries: [
        {
          Account: '111122223333',
          Region: 'us-east-1',
          Status: 'CURRENT',
          StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' },
          OrganizationalUnitId: 'ou-abcd-11111111',
        },
        { Account: '999999999999', Region: 'us-east-1', Status: 'CURRENT' },
      ],
      NextToken: 't1',
    })
    .resolves({
      Summaries: [
        {
          Account: '111122223333',
          Region: 'eu-west-1',
          Status: 'OUTDATED',
          StatusReason: 'Account gate failed',
          StackInstanceStatus: { DetailedStatus: 'FAILED' },
        },
      ],
    });
  expect(await adapter.listStackInstances('avf-baseline', '111122223333')).toEqual([
    {
      account: '111122223333',
      region: 'us-east-1',
      status: 'CURRENT',
      detailedStatus: 'SUCCEEDED',
      reason: undefined,
      organizationalUnitId: 'ou-abcd-11111111',
    },
    {
      account: '111122223333',
      region: 'eu-west-1',
      status: 'OUTDATED',
      detailedStatus: 'FAILED',
      reason: 'Account gate failed',
    },
  ]);
  expect(cfn).toHaveReceivedCommandWith(ListStackInstancesCommand, { StackInstanceAccount: '111122223333' });
});

test("lists an operation's instances with the LAST_OPERATION_ID filter, dropping any another operation touched", async () => {
  cfn.on(ListStackInstancesCommand).resolves({
    Summaries: [
      { Account: '111122223333', Region: 'us-east-1', Status: 'CURRENT', LastOperationId: 'batch-1' },
      { Account: '111122223334', Region: 'us-east-1', Status: 'OUTDATED', LastOperationId: 'batch-2' },
      // an emulator that names no last operation: kept, the caller takes what it needs
      { Account: '111122223335', Region: 'us-east-1', Status: 'CURRENT' },
    ],
  });
  const listed = await adapter.listStackInstancesOfOperation('avf-baseline', 'batch-1');
  expect(listed.map((i) => i.account)).toEqual(['111122223333', '111122223335']);
  expect(listed[0]).toMatchObject({ lastOperationId: 'batch-1', status: 'CURRENT' });
  expect(cfn).toHaveReceivedCommandWith(ListStackInstancesCommand, {
    StackSetName: 'avf-baseline',
    Filters: [{ Name: 'LAST_OPERATION_ID', Values: 'batch-1' }],
  });
});
