import {
  AccountNotFoundException,
  AlreadyInOrganizationException,
  AttachPolicyCommand,
  CreateAccountCommand,
  CreateOrganizationCommand,
  CreateOrganizationalUnitCommand,
  DescribeCreateAccountStatusCommand,
  DescribeOrganizationCommand,
  DetachPolicyCommand,
  DuplicateOrganizationalUnitException,
  DuplicatePolicyAttachmentException,
  ListAccountsCommand,
  ListCreateAccountStatusCommand,
  ListOrganizationalUnitsForParentCommand,
  PolicyNotAttachedException,
  TooManyRequestsException,
  AWSOrganizationsNotInUseException,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { createClientFactory } from '../../src/aws/clients';
import { OrganizationsAdapter } from '../../src/aws/organizations';
import { AwsError } from '../../src/domain/errors';

const $metadata = {};
const clients = createClientFactory({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
const org = mockClient(clients.organizations());
const createAccountClient = mockClient(clients.organizationsNoRetry());
const adapter = new OrganizationsAdapter(clients);
const request = {
  email: 'a@example.com',
  accountName: 'team-a',
  roleName: 'OrganizationAccountAccessRole',
  tags: { owner: 'a' },
};

beforeEach(() => {
  org.reset();
  createAccountClient.reset();
});

describe('OrganizationsAdapter: create account', () => {
  test('sends CreateAccount once, on the client that never retries, then reports IN_PROGRESS then SUCCEEDED', async () => {
    createAccountClient
      .on(CreateAccountCommand)
      .resolves({ CreateAccountStatus: { Id: 'car-1', State: 'IN_PROGRESS', AccountName: 'team-a' } });
    org
      .on(DescribeCreateAccountStatusCommand)
      .resolvesOnce({ CreateAccountStatus: { Id: 'car-1', State: 'IN_PROGRESS', AccountName: 'team-a' } })
      .resolves({
        CreateAccountStatus: {
          Id: 'car-1',
          State: 'SUCCEEDED',
          AccountName: 'team-a',
          AccountId: '111122223333',
        },
      });

    expect(await adapter.startCreateAccount(request)).toEqual({
      requestId: 'car-1',
      state: 'IN_PROGRESS',
      accountName: 'team-a',
    });
    expect(createAccountClient).toHaveReceivedCommandTimes(CreateAccountCommand, 1);
    expect(createAccountClient).toHaveReceivedCommandWith(CreateAccountCommand, {
      Email: 'a@example.com',
      AccountName: 'team-a',
      RoleName: 'OrganizationAccountAccessRole',
      Tags: [{ Key: 'owner', Value: 'a' }],
    });
    expect(org).not.toHaveReceivedCommand(CreateAccountCommand);
    expect(await clients.organizationsNoRetry().config.maxAttempts()).toBe(1);

    expect((await adapter.getCreateAccountStatus('car-1')).state).toBe('IN_PROGRESS');
    expect(await adapter.getCreateAccountStatus('car-1')).toEqual({
      requestId: 'car-1',
      state: 'SUCCEEDED',
      accountName: 'team-a',
      accountId: '111122223333',
    });
    expect(org).toHaveReceivedCommandWith(DescribeCreateAccountStatusCommand, {
      CreateAccountRequestId: 'car-1',
    });
  });

  test.each([
    'EMAIL_ALREADY_EXISTS',
    'CONCURRENT_ACCOUNT_MODIFICATION',
    'ACCOUNT_LIMIT_EXCEEDED',
    'INTERNAL_FAILURE',
  ] as const)('reports FAILED with reason %s as a result, not an exception', async (reason) => {
    org.on(DescribeCreateAccountStatusCommand).resolves({
      CreateAccountStatus: { Id: 'car-2', State: 'FAILED', AccountName: 'team-a', FailureReason: reason },
    });
    expect(await adapter.getCreateAccountStatus('car-2')).toEqual({
      requestId: 'car-2',
      state: 'FAILED',
      accountName: 'team-a',
      failureReason: reason,
    });
  });

  test('a throttled CreateAccount fails retryable, and is sent only once', async () => {
    createAccountClient
      .on(CreateAccountCommand)
      .rejects(new TooManyRequestsException({ message: 'rate exceeded', $metadata }));
    const failure = adapter.startCreateAccount(request);
    await expect(failure).rejects.toBeInstanceOf(AwsError);
    await expect(failure).rejects.toMatchObject({
      operation: 'organizations:CreateAccount',
      awsCode: 'TooManyRequestsException',
      retryable: true,
    });
    expect(createAccountClient).toHaveReceivedCommandTimes(CreateAccountCommand, 1);
  });

  test('a throttled status check fails retryable', async () => {
    org
      .on(DescribeCreateAccountStatusCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(adapter.getCreateAccountStatus('car-1')).rejects.toMatchObject({ retryable: true });
  });

  test("fails final with CreateAccountStatusNotFoundException for moto's AccountNotFoundException", async () => {
    org
      .on(DescribeCreateAccountStatusCommand)
      .rejects(new AccountNotFoundException({ message: 'nope', $metadata }));
    await expect(adapter.getCreateAccountStatus('car-x')).rejects.toMatchObject({
      awsCode: 'CreateAccountStatusNotFoundException',
      retryable: false,
    });
  });

  test('lists create-account requests in every state, across pages, for one account name', async () => {
    org
      .on(ListCreateAccountStatusCommand)
      .resolvesOnce({
        CreateAccountStatuses: [
          { Id: 'car-1', State: 'FAILED', AccountName: 'team-a', FailureReason: 'EMAIL_ALREADY_EXISTS' },
          { Id: 'car-2', State: 'SUCCEEDED', AccountName: 'team-b', AccountId: '2' },
        ],
        NextToken: 't1',
      })
      .resolves({ CreateAccountStatuses: [{ Id: 'car-3', State: 'IN_PROGRESS', AccountName: 'team-a' }] });
    const found = await adapter.listCreateAccountStatusesByName('team-a');
    expect(found.map((s) => [s.requestId, s.state])).toEqual([
      ['car-1', 'FAILED'],
      ['car-3', 'IN_PROGRESS'],
    ]);
    expect(org).toHaveReceivedCommandWith(ListCreateAccountStatusCommand, {
      States: ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'],
    });
  });

  test('finds an account by email case-insensitively, stopping at the page that has it', async () => {
    org
      .on(ListAccountsCommand)
      .resolvesOnce({
        Accounts: [{ Id: '1', Name: 'x', Email: 'x@example.com', Status: 'ACTIVE' }],
        NextToken: 't1',
      })
      .resolvesOnce({
        Accounts: [{ Id: '2', Name: 'a', Email: 'A@Example.COM', State: 'ACTIVE' }],
        NextToken: 't2',
      })
      .resolves({ Accounts: [] });
    expect(await adapter.findAccountByEmail('a@example.com')).toEqual({
      id: '2',
      name: 'a',
      email: 'A@Example.COM',
      status: 'ACTIVE',
    });
    expect(org).toHaveReceivedCommandTimes(ListAccountsCommand, 2);
  });

  test('fails rather than truncating when ListAccounts runs past the page cap', async () => {
    let page = 0;
    org.on(ListAccountsCommand).callsFake(() => ({ Accounts: [], NextToken: `t${++page}` }));
    const capped = new OrganizationsAdapter(clients, { maxPages: 3 });
    await expect(capped.findAccountByEmail('a@example.com')).rejects.toMatchObject({
      awsCode: 'PageLimitExceeded',
      retryable: false,
    });
    expect(org).toHaveReceivedCommandTimes(ListAccountsCommand, 4);
  });
});

describe('OrganizationsAdapter: ListAccounts one page at a time', () => {
  test('reads one page from the token given and returns the next token', async () => {
    org
      .on(ListAccountsCommand, { NextToken: 't1' })
      .resolves({
        Accounts: [{ Id: '2', Name: 'b', Email: 'b@example.com', State: 'ACTIVE' }],
        NextToken: 't2',
      })
      .on(ListAccountsCommand, { NextToken: 't2' })
      .resolves({ Accounts: [{ Id: '3', Name: 'c', Email: 'c@example.com', State: 'SUSPENDED' }] });
    await expect(adapter.listAccountsPage('t1')).resolves.toEqual({
      accounts: [{ id: '2', name: 'b', email: 'b@example.com', status: 'ACTIVE' }],
      nextToken: 't2',
    });
    await expect(adapter.listAccountsPage('t2')).resolves.toEqual({
      accounts: [{ id: '3', name: 'c', email: 'c@example.com', status: 'SUSPENDED' }],
    });
    expect(org).toHaveReceivedCommandTimes(ListAccountsCommand, 2);
  });

  test('the first page is read without a token', async () => {
    org.on(ListAccountsCommand).resolves({ Accounts: [{ Id: '1', Email: 'a@example.com' }], NextToken: 'n' });
    await expect(adapter.listAccountsPage()).resolves.toMatchObject({ nextToken: 'n' });
    expect(org).toHaveReceivedCommandWith(ListAccountsCommand, { MaxResults: 20, NextToken: undefined });
  });

  test('every walk starts at the first page (the paginator writes tokens into its input)', async () => {
    org
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [{ Id: '1', Email: 'a@example.com' }], NextToken: 't1' })
      .on(ListAccountsCommand, { NextToken: 't1' })
      .resolves({ Accounts: [{ Id: '2', Email: 'b@example.com' }] });
    for (let walk = 0; walk < 2; walk++) {
      await expect(adapter.findAccountByEmail('b@example.com')).resolves.toMatchObject({ id: '2' });
      await expect(adapter.listAccountsPage()).resolves.toMatchObject({ nextToken: 't1' });
    }
    expect(org).toHaveReceivedCommandTimes(ListAccountsCommand, 6);
  });

  test('a throttle leaves as a retryable AwsError', async () => {
    org.on(ListAccountsCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata }));
    await expect(adapter.listAccountsPage('t1')).rejects.toMatchObject({
      operation: 'organizations:ListAccounts',
      retryable: true,
    });
  });
});

describe('OrganizationsAdapter: already done is success', () => {
  test('attaching an attached policy and detaching a detached one succeed', async () => {
    org
      .on(AttachPolicyCommand)
      .rejects(new DuplicatePolicyAttachmentException({ message: 'dup', $metadata }));
    org.on(DetachPolicyCommand).rejects(new PolicyNotAttachedException({ message: 'not', $metadata }));
    await expect(adapter.attachPolicy('p-1', 'ou-1')).resolves.toBeUndefined();
    await expect(adapter.detachPolicy('p-1', 'ou-1')).resolves.toBeUndefined();
  });

  test('a duplicate OU name returns the existing OU', async () => {
    org
      .on(CreateOrganizationalUnitCommand)
      .rejects(new DuplicateOrganizationalUnitException({ message: 'dup', $metadata }));
    org.on(ListOrganizationalUnitsForParentCommand).resolves({
      OrganizationalUnits: [
        { Id: 'ou-other', Name: 'Other' },
        { Id: 'ou-sandbox', Name: 'Sandbox' },
      ],
    });
    expect(await adapter.createOrganizationalUnit('r-1', 'Sandbox')).toBe('ou-sandbox');
  });

  test('createOrganization describes first and does not create an existing organization', async () => {
    org
      .on(DescribeOrganizationCommand)
      .resolves({ Organization: { Id: 'o-1', MasterAccountId: '123456789012' } });
    expect(await adapter.createOrganization()).toEqual({ id: 'o-1', managementAccountId: '123456789012' });
    expect(org).not.toHaveReceivedCommand(CreateOrganizationCommand);
  });

  test('createOrganization losing a race to another caller returns the organization it made', async () => {
    org
      .on(DescribeOrganizationCommand)
      .rejectsOnce(new AWSOrganizationsNotInUseException({ message: 'none', $metadata }))
      .resolves({ Organization: { Id: 'o-2', MasterAccountId: '123456789012' } });
    org
      .on(CreateOrganizationCommand)
      .rejects(new AlreadyInOrganizationException({ message: 'in', $metadata }));
    expect(await adapter.createOrganization()).toEqual({ id: 'o-2', managementAccountId: '123456789012' });
  });
});
