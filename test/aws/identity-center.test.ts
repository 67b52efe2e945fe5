import {
  ConflictException as StoreConflictException,
  CreateGroupCommand,
  GetGroupIdCommand,
  IdentitystoreClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-identitystore';
import {
  ConflictException,
  CreateAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentsCommand,
  SSOAdminClient,
  ThrottlingException,
} from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { createClientFactory } from '../../src/aws/clients';
import { IdentityCenterAdapter } from '../../src/aws/identity-center';

const $metadata = {};
const sso = mockClient(SSOAdminClient);
const store = mockClient(IdentitystoreClient);
const clients = createClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const adapter = new IdentityCenterAdapter(clients, { maxPages: 5 });
const instanceArn = 'arn:aws:sso:::instance/ssoins-1';
const assignment = { instanceArn, accountId: '111122223333', permissionSetArn: 'arn:ps', groupId: 'g-1' };

beforeEach(() => {
  sso.reset();
  store.reset();
});

describe('account assignments', () => {
  test('starts an assignment for a group on an account and follows it from IN_PROGRESS to FAILED', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({
      AccountAssignmentCreationStatus: { RequestId: 'req-1', Status: 'IN_PROGRESS' },
    });
    sso
      .on(DescribeAccountAssignmentCreationStatusCommand)
      .resolvesOnce({ AccountAssignmentCreationStatus: { RequestId: 'req-1', Status: 'IN_PROGRESS' } })
      .resolves({
        AccountAssignmentCreationStatus: {
          RequestId: 'req-1',
          Status: 'FAILED',
          FailureReason: 'Role quota exceeded',
        },
      });

    expect(await adapter.startAccountAssignment(assignment)).toEqual({
      requestId: 'req-1',
      status: 'IN_PROGRESS',
    });
    expect(sso).toHaveReceivedCommandWith(CreateAccountAssignmentCommand, {
      InstanceArn: instanceArn,
      TargetId: '111122223333',
      TargetType: 'AWS_ACCOUNT',
      PermissionSetArn: 'arn:ps',
      PrincipalType: 'GROUP',
      PrincipalId: 'g-1',
    });
    expect(await adapter.getAccountAssignmentStatus(instanceArn, 'req-1')).toEqual({ status: 'IN_PROGRESS' });
    expect(await adapter.getAccountAssignmentStatus(instanceArn, 'req-1')).toEqual({
      status: 'FAILED',
      failureReason: 'Role quota exceeded',
    });
    expect(sso).toHaveReceivedCommandWith(DescribeAccountAssignmentCreationStatusCommand, {
      AccountAssignmentCreationRequestId: 'req-1',
    });
  });

  test.each([
    ['ConflictException', new ConflictException({ message: 'in progress', $metadata })],
    ['ThrottlingException', new ThrottlingException({ message: 'slow', $metadata })],
  ])('%s on CreateAccountAssignment is retryable', async (awsCode, error) => {
    sso.on(CreateAccountAssignmentCommand).rejects(error);
    await expect(adapter.startAccountAssignment(assignment)).rejects.toMatchObject({
      awsCode,
      retryable: true,
    });
  });

  test('stops when a page repeats its token, as moto does after a duplicate assignment', async () => {
    sso.on(ListAccountAssignmentsCommand).resolves({
      AccountAssignments: [{ PrincipalId: 'g-1', PrincipalType: 'GROUP' }],
      NextToken: 'same',
    });
    const found = await adapter.listAccountAssignments(instanceArn, '111122223333', 'arn:ps');
    expect(found).toEqual([{ principalId: 'g-1', principalType: 'GROUP' }]);
    expect(sso).toHaveReceivedCommandTimes(ListAccountAssignmentsCommand, 2);
  });

  test('fails non-retryable past the page cap instead of paging forever', async () => {
    let page = 0;
    sso
      .on(ListAccountAssignmentsCommand)
      .callsFake(() => ({ AccountAssignments: [], NextToken: `t${++page}` }));
    await expect(adapter.listAccountAssignments(instanceArn, '111122223333', 'arn:ps')).rejects.toMatchObject(
      {
        awsCode: 'PageLimitExceeded',
        retryable: false,
      },
    );
    expect(sso).toHaveReceivedCommandTimes(ListAccountAssignmentsCommand, 6);
  });
});

describe('groups', () => {
  test('an unknown display name is undefined', async () => {
    store
      .on(GetGroupIdCommand)
      .rejects(new ResourceNotFoundException({ message: 'GROUP not found.', $metadata }));
    expect(await adapter.findGroupId('d-1', 'nobody')).toBeUndefined();
    expect(store).toHaveReceivedCommandWith(GetGroupIdCommand, {
      IdentityStoreId: 'd-1',
      AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'nobody' } },
    });
  });

  test('creating a group that exists returns its id', async () => {
    store
      .on(CreateGroupCommand)
      .rejects(new StoreConflictException({ message: 'Duplicate GroupDisplayName', $metadata }));
    store.on(GetGroupIdCommand).resolves({ GroupId: 'g-existing', IdentityStoreId: 'd-1' });
    expect(await adapter.createGroup('d-1', 'developers')).toBe('g-existing');
  });
});
