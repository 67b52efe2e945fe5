import { AwsError } from '../../../src/domain/errors';
import { FakeAws, FULL_AWS_ACCESS_ID, ROOT_ID } from '../../support/fake-aws';

/** The in-memory AWS behaves as AWS does where the workflow and bootstrap depend on it. */

const account = (
  email: string,
  accountName = 'acct',
): { email: string; accountName: string; roleName: string; tags: Record<string, string> } => ({
  email,
  accountName,
  roleName: 'OrganizationAccountAccessRole',
  tags: {},
});

describe('FakeAws', () => {
  it('keeps CreateAccount IN_PROGRESS for createAccountPolls checks, then creates the account', async () => {
    const aws = new FakeAws();
    aws.createAccountPolls = 2;
    const { requestId, state } = await aws.organizations.startCreateAccount(account('a@example.com'));

    const states = [];
    for (let i = 0; i < 3; i += 1)
      states.push((await aws.organizations.getCreateAccountStatus(requestId)).state);

    expect([state, ...states]).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCEEDED']);
    expect(await aws.organizations.findAccountByEmail('a@example.com')).toMatchObject({ status: 'ACTIVE' });
  });

  it('fails a second CreateAccount with the same email asynchronously, as AWS does', async () => {
    const aws = new FakeAws();
    aws.organizations.addAccount({ name: 'taken', email: 'taken@example.com' });
    const { requestId } = await aws.organizations.startCreateAccount(account('taken@example.com'));

    expect(await aws.organizations.getCreateAccountStatus(requestId)).toMatchObject({
      state: 'FAILED',
      failureReason: 'EMAIL_ALREADY_EXISTS',
    });
  });

  it('fails the next CreateAccount with a scripted reason', async () => {
    const aws = new FakeAws();
    aws.failNextCreateAccount('ACCOUNT_LIMIT_EXCEEDED');
    const first = await aws.organizations.startCreateAccount(account('a@example.com', 'a'));
    const second = await aws.organizations.startCreateAccount(account('b@example.com', 'b'));

    expect((await aws.organizations.getCreateAccountStatus(first.requestId)).failureReason).toBe(
      'ACCOUNT_LIMIT_EXCEEDED',
    );
    expect((await aws.organizations.getCreateAccountStatus(second.requestId)).state).toBe('SUCCEEDED');
    expect(aws.organizations.peakCreateAccountsInFlight).toBe(2);
  });

  it('throttles the next calls of one method with a retryable AwsError, and counts them', async () => {
    const aws = new FakeAws();
    aws.throttle('getRoot', 2);

    const errors = [
      await aws.organizations.getRoot().catch((e: unknown) => e),
      await aws.organizations.getRoot().catch((e: unknown) => e),
    ];
    await aws.organizations.getRoot();

    expect(
      errors.every((e) => e instanceof AwsError && e.awsCode === 'ThrottlingException' && e.retryable),
    ).toBe(true);
    expect(aws.calls['getRoot']).toBe(3);
  });

  it('attaches SCPs idempotently, only once the type is enabled, at most 5 per target', async () => {
    const aws = new FakeAws();
    const org = aws.organizations;
    const ou = await org.createOrganizationalUnit(ROOT_ID, 'Workloads');
    const content = '{"Version":"2012-10-17","Statement":[]}';
    const ids = [];
    for (let i = 0; i < 5; i += 1)
      ids.push(
        await org.createPolicy({ name: `p${i}`, description: '', type: 'SERVICE_CONTROL_POLICY', content }),
      );

    await expect(org.attachPolicy(ids[0]!, ou)).rejects.toMatchObject({
      awsCode: 'PolicyTypeNotEnabledException',
    });
    await org.enablePolicyType(ROOT_ID, 'SERVICE_CONTROL_POLICY');
    for (const id of ids.slice(0, 4)) await org.attachPolicy(id, ou);
    await org.attachPolicy(ids[0]!, ou);

    expect((await org.listPoliciesForTarget(ou, 'SERVICE_CONTROL_POLICY')).map((p) => p.id)).toEqual([
      FULL_AWS_ACCESS_ID,
      ...ids.slice(0, 4),
    ]);
    await expect(org.attachPolicy(ids[4]!, ou)).rejects.toMatchObject({
      awsCode: 'ConstraintViolationException',
    });
  });

  it('answers AWSOrganizationsNotInUseException until the organisation exists', async () => {
    const aws = new FakeAws({ organization: false });

    expect(await aws.organizations.describeOrganization()).toBeUndefined();
    await expect(aws.organizations.getRoot()).rejects.toMatchObject({
      awsCode: 'AWSOrganizationsNotInUseException',
    });
    await aws.organizations.createOrganization();
    expect((await aws.organizations.getRoot()).id).toBe(ROOT_ID);
  });

  it('keeps StackSet operations RUNNING for operationPolls checks, with idempotent operation ids', async () => {
    const aws = new FakeAws();
    aws.operationPolls = 1;
    const ou = await aws.organizations.createOrganizationalUnit(ROOT_ID, 'Workloads');
    const inOu = aws.organizations.addAccount({ name: 'in', email: 'in@example.com', parentId: ou });
    const outside = aws.organizations.addAccount({ name: 'out', email: 'out@example.com' });
    await aws.stackSets.createStackSet({
      name: 's',
      description: '',
      templateBody: '{}',
      parameters: {},
      capabilities: [],
    });
    const input = {
      stackSetName: 's',
      organizationalUnitIds: [ou],
      accountIds: [inOu, outside],
      regions: ['us-east-1'],
      operationId: 'op-1',
    };

    await aws.stackSets.createStackInstances(input);
    await aws.stackSets.createStackInstances(input);
    await expect(aws.stackSets.createStackInstances({ ...input, operationId: 'op-2' })).rejects.toMatchObject(
      {
        awsCode: 'OperationInProgressException',
        retryable: true,
      },
    );
    const statuses = [
      (await aws.stackSets.getOperation('s', 'op-1')).status,
      (await aws.stackSets.getOperation('s', 'op-1')).status,
    ];

    expect(statuses).toEqual(['RUNNING', 'SUCCEEDED']);
    const deployed = {
      account: inOu,
      region: 'us-east-1',
      organizationalUnitId: ou,
      status: 'CURRENT',
      detailedStatus: 'SUCCEEDED',
      reason: undefined,
      lastOperationId: 'op-1',
    };
    expect(await aws.stackSets.listStackInstances('s')).toEqual([deployed]);
    // the instances an operation left, filtered as LAST_OPERATION_ID filters them
    expect(await aws.stackSets.listStackInstancesOfOperation('s', 'op-1')).toEqual([deployed]);
    expect(await aws.stackSets.listStackInstancesOfOperation('s', 'op-2')).toEqual([]);
  });

  it('keeps assignments IN_PROGRESS for assignmentPolls checks and fails the role assumeRoleFailures times', async () => {
    const aws = new FakeAws();
    aws.assignmentPolls = 1;
    aws.assumeRoleFailures = 1;
    const { instanceArn, identityStoreId } = await aws.identityCenter.getInstance();
    const permissionSetArn = await aws.identityCenter.createPermissionSet(instanceArn, {
      name: 'ReadOnly',
      description: '',
      sessionDuration: 'PT1H',
      managedPolicies: [],
    });
    const groupId = await aws.identityCenter.createGroup(identityStoreId, 'devs');
    const { requestId } = await aws.identityCenter.startAccountAssignment({
      instanceArn,
      accountId: '200000000001',
      permissionSetArn,
      groupId,
    });

    expect((await aws.identityCenter.getAccountAssignmentStatus(instanceArn, requestId)).status).toBe(
      'IN_PROGRESS',
    );
    expect((await aws.identityCenter.getAccountAssignmentStatus(instanceArn, requestId)).status).toBe(
      'SUCCEEDED',
    );
    expect(
      await aws.identityCenter.listAccountAssignments(instanceArn, '200000000001', permissionSetArn),
    ).toEqual([{ principalId: groupId, principalType: 'GROUP' }]);
    await expect(aws.sts.assumeAccountRole('200000000001', 'R', 's')).rejects.toMatchObject({
      retryable: true,
    });
    await expect(aws.sts.assumeAccountRole('200000000001', 'R', 's')).resolves.toMatchObject({
      accessKeyId: expect.any(String),
    });
  });
});
