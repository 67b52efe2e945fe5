import { ListRolesCommand } from '@aws-sdk/client-iam';
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import { createAwsPorts, createClientFactory, StsAdapter } from '../../src/aws';
import type { AwsPorts } from '../../src/domain/ports/aws';
import { startMoto, type LocalAws } from '../../src/local/moto';

/**
 * The adapters over real HTTP against moto_server: the happy-path wiring. The asynchronous and
 * failure states moto cannot produce are covered in test/aws with aws-sdk-client-mock.
 */

const REGION = 'us-east-1';
const MANAGEMENT_ACCOUNT = '123456789012';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const TEMPLATE = JSON.stringify({
  Resources: { Topic: { Type: 'AWS::SNS::Topic' } },
});

let moto: LocalAws;
let aws: AwsPorts;

beforeAll(async () => {
  moto = await startMoto({ seed: 7 });
  aws = createAwsPorts({ region: REGION, endpoint: moto.endpoint, credentials });
});

afterAll(async () => {
  await moto?.stop();
});

describe('AWS adapters against moto', () => {
  // Built up by the tests below, in order: each step needs the organization and account before it.
  let rootId = '';
  let ouId = '';
  let accountId = '';

  test('creates the organization once and reads it back', async () => {
    expect(await aws.organizations.describeOrganization()).toBeUndefined();
    const created = await aws.organizations.createOrganization();
    expect(created.managementAccountId).toBe(MANAGEMENT_ACCOUNT);
    expect(await aws.organizations.createOrganization()).toEqual(created);
    expect(await aws.organizations.describeOrganization()).toEqual(created);

    const root = await aws.organizations.getRoot();
    rootId = root.id;
    expect(root.enabledPolicyTypes).toEqual([]);
    await aws.organizations.enablePolicyType(rootId, 'SERVICE_CONTROL_POLICY');
    await aws.organizations.enablePolicyType(rootId, 'SERVICE_CONTROL_POLICY');
    expect((await aws.organizations.getRoot()).enabledPolicyTypes).toEqual(['SERVICE_CONTROL_POLICY']);

    await aws.organizations.enableAwsServiceAccess('member.org.stacksets.cloudformation.amazonaws.com');
    expect(await aws.organizations.listAwsServiceAccess()).toContain(
      'member.org.stacksets.cloudformation.amazonaws.com',
    );
  });

  test('creates an OU and finds it under its parent', async () => {
    ouId = await aws.organizations.createOrganizationalUnit(rootId, 'Workloads');
    expect(ouId).toMatch(/^ou-/);
    expect(await aws.organizations.listOrganizationalUnits(rootId)).toEqual([
      { id: ouId, name: 'Workloads' },
    ]);
  });

  test('creates, updates, attaches, lists and detaches a policy', async () => {
    const content = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
    });
    const policyId = await aws.organizations.createPolicy({
      name: 'deny-leave',
      description: 'v1',
      type: 'SERVICE_CONTROL_POLICY',
      content,
    });
    await aws.organizations.updatePolicy(policyId, { description: 'v2', content });
    expect(await aws.organizations.describePolicy(policyId)).toEqual({
      id: policyId,
      name: 'deny-leave',
      type: 'SERVICE_CONTROL_POLICY',
      description: 'v2',
      content,
    });
    expect(await aws.organizations.listPolicies('SERVICE_CONTROL_POLICY')).toContainEqual({
      id: policyId,
      name: 'deny-leave',
    });

    await aws.organizations.attachPolicy(policyId, ouId);
    expect(await aws.organizations.listPoliciesForTarget(ouId, 'SERVICE_CONTROL_POLICY')).toContainEqual({
      id: policyId,
      name: 'deny-leave',
    });
    await aws.organizations.detachPolicy(policyId, ouId);
    await aws.organizations.detachPolicy(policyId, ouId);
    const after = await aws.organizations.listPoliciesForTarget(ouId, 'SERVICE_CONTROL_POLICY');
    expect(after.map((p) => p.id)).not.toContain(policyId);
  });

  test('creates an account, reports its status, finds it by email, moves and tags it', async () => {
    const started = await aws.organizations.startCreateAccount({
      email: 'Team-A@Example.com',
      accountName: 'team-a',
      roleName: 'OrganizationAccountAccessRole',
      tags: { owner: 'team-a' },
    });
    expect(started.state).toBe('SUCCEEDED');
    accountId = started.accountId ?? '';
    expect(accountId).toMatch(/^\d{12}$/);

    const status = await aws.organizations.getCreateAccountStatus(started.requestId);
    expect(status).toMatchObject({
      requestId: started.requestId,
      state: 'SUCCEEDED',
      accountName: 'team-a',
      accountId,
    });
    expect(await aws.organizations.listCreateAccountStatusesByName('team-a')).toEqual([status]);
    await expect(
      aws.organizations.getCreateAccountStatus('car-00000000000000000000000000000000'),
    ).rejects.toMatchObject({
      awsCode: 'CreateAccountStatusNotFoundException',
      retryable: false,
    });

    const found = await aws.organizations.findAccountByEmail('team-a@example.com');
    expect(found).toEqual({ id: accountId, name: 'team-a', email: 'Team-A@Example.com', status: 'ACTIVE' });
    expect(await aws.organizations.findAccountByEmail('nobody@example.com')).toBeUndefined();
    expect(await aws.organizations.describeAccount(accountId)).toEqual(found);

    expect(await aws.organizations.getParentId(accountId)).toBe(rootId);
    await aws.organizations.moveAccount(accountId, rootId, ouId);
    expect(await aws.organizations.getParentId(accountId)).toBe(ouId);
    expect((await aws.organizations.listAccountsForParent(ouId)).map((a) => a.id)).toEqual([accountId]);

    await aws.organizations.tagResource(accountId, { 'avf:request': 'r-1' });
    expect(await aws.organizations.listTags(accountId)).toEqual({ owner: 'team-a', 'avf:request': 'r-1' });
  });

  test('creates a stack set and deploys it to the account through its OU in two regions', async () => {
    const def = {
      name: 'avf-baseline',
      description: 'baseline',
      templateBody: TEMPLATE,
      parameters: {},
      capabilities: ['CAPABILITY_NAMED_IAM'],
    };
    expect(await aws.stackSets.describeStackSet(def.name)).toBeUndefined();
    await aws.stackSets.createStackSet(def);
    // moto does not echo Capabilities back; test/aws checks that they are sent.
    expect(await aws.stackSets.describeStackSet(def.name)).toEqual({
      ...def,
      capabilities: [],
      status: 'ACTIVE',
    });

    const operationId = await aws.stackSets.createStackInstances({
      stackSetName: def.name,
      organizationalUnitIds: [ouId],
      accountIds: [accountId],
      regions: ['us-east-1', 'eu-west-1'],
      operationId: 'avf-team-a-1',
    });
    // AWS echoes the OperationId it was given; moto makes up its own. Either way it is the handle.
    expect(operationId).not.toBe('');
    expect(await aws.stackSets.getOperation(def.name, operationId)).toEqual({ status: 'SUCCEEDED' });

    const instances = await aws.stackSets.listStackInstances(def.name, accountId);
    expect(instances.map((i) => i.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(instances.every((i) => i.account === accountId && i.status === 'CURRENT')).toBe(true);
    // the operation's instances in one listing (moto takes the LAST_OPERATION_ID filter, names no
    // last operation and lists every instance: a batch picks its members' out of the answer)
    const ofOperation = await aws.stackSets.listStackInstancesOfOperation(def.name, operationId);
    expect(
      ofOperation
        .filter((i) => i.account === accountId)
        .map((i) => i.region)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);

    await aws.stackSets.updateStackSet({ ...def, description: 'baseline v2' }, 'avf-baseline-v2');
    expect((await aws.stackSets.describeStackSet(def.name))?.description).toBe('baseline v2');
  });

  test('creates and finds a permission set, a group and an assignment', async () => {
    const { instanceArn, identityStoreId } = await aws.identityCenter.getInstance();
    const def = {
      name: 'Developer',
      description: 'developers',
      sessionDuration: 'PT4H',
      managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      inlinePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }],
      }),
    };
    expect(await aws.identityCenter.findPermissionSetArn(instanceArn, def.name)).toBeUndefined();
    const permissionSetArn = await aws.identityCenter.createPermissionSet(instanceArn, def);
    expect(await aws.identityCenter.findPermissionSetArn(instanceArn, def.name)).toBe(permissionSetArn);
    expect(await aws.identityCenter.describePermissionSet(instanceArn, permissionSetArn)).toEqual(def);

    const readOnly = {
      name: def.name,
      description: 'read only',
      sessionDuration: 'PT1H',
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    };
    await aws.identityCenter.updatePermissionSet(instanceArn, permissionSetArn, readOnly);
    expect(await aws.identityCenter.describePermissionSet(instanceArn, permissionSetArn)).toEqual(readOnly);

    const groupId = await aws.identityCenter.createGroup(identityStoreId, 'developers');
    expect(await aws.identityCenter.findGroupId(identityStoreId, 'developers')).toBe(groupId);
    expect(await aws.identityCenter.findGroupId(identityStoreId, 'nobody')).toBeUndefined();
    expect(await aws.identityCenter.createGroup(identityStoreId, 'developers')).toBe(groupId);

    const started = await aws.identityCenter.startAccountAssignment({
      instanceArn,
      accountId,
      permissionSetArn,
      groupId,
    });
    expect(started.requestId).not.toBe('');
    expect(await aws.identityCenter.getAccountAssignmentStatus(instanceArn, started.requestId)).toEqual({
      status: 'SUCCEEDED',
    });
    expect(await aws.identityCenter.listAccountAssignments(instanceArn, accountId, permissionSetArn)).toEqual(
      [{ principalId: groupId, principalType: 'GROUP' }],
    );
  });

  test('creates a budget once and reads it back', async () => {
    const spec = {
      name: `avf-${accountId}`,
      linkedAccountId: accountId,
      monthlyLimitUsd: 250,
      thresholdsPercent: [80, 100],
      emails: ['owner@example.com'],
    };
    expect(await aws.budgets.findBudget(MANAGEMENT_ACCOUNT, spec.name)).toBeUndefined();
    await aws.budgets.createBudget(MANAGEMENT_ACCOUNT, spec);
    await aws.budgets.createBudget(MANAGEMENT_ACCOUNT, spec);
    const budget = await aws.budgets.findBudget(MANAGEMENT_ACCOUNT, spec.name);
    expect(budget).toMatchObject({ name: spec.name, monthlyLimitUsd: 250, linkedAccountIds: [accountId] });
    expect(budget?.notifications).toHaveLength(4);
    expect(budget?.notifications).toEqual(
      expect.arrayContaining([
        { type: 'ACTUAL', thresholdPercent: 80 },
        { type: 'FORECASTED', thresholdPercent: 80 },
        { type: 'ACTUAL', thresholdPercent: 100 },
        { type: 'FORECASTED', thresholdPercent: 100 },
      ]),
    );
  });

  test('assumes the account role; calls made with those credentials land in the member account', async () => {
    expect(await aws.sts.callerAccountId()).toBe(MANAGEMENT_ACCOUNT);
    const memberCredentials = await aws.sts.assumeAccountRole(
      accountId,
      'OrganizationAccountAccessRole',
      'avf-test',
    );
    expect(memberCredentials.sessionToken).toBeDefined();

    const member = createClientFactory({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: memberCredentials,
    });
    expect(await new StsAdapter(member).callerAccountId()).toBe(accountId);
    const roles = await member.iam().send(new ListRolesCommand({}));
    expect(roles.Roles?.map((r) => r.Arn)).toContain(
      `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
    );

    // S3 Control needs the endpoint override; without it the SDK builds `<account>.127.0.0.1`.
    const block = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    };
    await member
      .s3Control()
      .send(new PutPublicAccessBlockCommand({ AccountId: accountId, PublicAccessBlockConfiguration: block }));
    const read = await member.s3Control().send(new GetPublicAccessBlockCommand({ AccountId: accountId }));
    expect(read.PublicAccessBlockConfiguration).toEqual(block);
  });
});
