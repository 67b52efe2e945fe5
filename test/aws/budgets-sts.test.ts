import {
  BudgetsClient,
  CreateBudgetCommand,
  CreateNotificationCommand,
  DeleteNotificationCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
  DuplicateRecordException,
  NotFoundException,
  UpdateBudgetCommand,
} from '@aws-sdk/client-budgets';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { BudgetsAdapter } from '../../src/aws/budgets';
import { createClientFactory } from '../../src/aws/clients';
import { StsAdapter } from '../../src/aws/sts';
import { ValidationError } from '../../src/domain/errors';

const $metadata = {};
const clients = createClientFactory({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
const budgetsMock = mockClient(BudgetsClient);
const stsMock = mockClient(STSClient);
const spec = {
  name: 'avf-111122223333',
  linkedAccountId: '111122223333',
  monthlyLimitUsd: 500,
  thresholdsPercent: [80, 100],
  emails: ['a@example.com', 'b@example.com'],
  snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:budgets',
};

beforeEach(() => {
  budgetsMock.reset();
  stsMock.reset();
});

describe('BudgetsAdapter', () => {
  const budgets = new BudgetsAdapter(clients);

  test('updates the limit in place and replaces the notifications (a PATCH; moto has no UpdateBudget)', async () => {
    const current = {
      BudgetName: 'avf-111122223333',
      BudgetType: 'COST' as const,
      TimeUnit: 'MONTHLY' as const,
      BudgetLimit: { Amount: '100', Unit: 'USD' },
      CostFilters: { LinkedAccount: ['111122223333'] },
    };
    const old = {
      NotificationType: 'ACTUAL' as const,
      ComparisonOperator: 'GREATER_THAN' as const,
      Threshold: 50,
    };
    budgetsMock.on(DescribeBudgetCommand).resolves({ Budget: current });
    budgetsMock.on(UpdateBudgetCommand).resolves({});
    budgetsMock.on(DescribeNotificationsForBudgetCommand).resolves({ Notifications: [old] });
    budgetsMock.on(DeleteNotificationCommand).rejects(new NotFoundException({ message: 'gone', $metadata }));
    budgetsMock.on(CreateNotificationCommand).resolves({});

    await budgets.updateBudget('123456789012', spec);

    expect(budgetsMock.commandCalls(UpdateBudgetCommand)[0]?.args[0].input).toEqual({
      AccountId: '123456789012',
      NewBudget: { ...current, BudgetLimit: { Amount: '500', Unit: 'USD' } },
    });
    // an old notification already gone is fine; then one ACTUAL and one FORECASTED per threshold
    expect(budgetsMock.commandCalls(DeleteNotificationCommand)[0]?.args[0].input.Notification).toEqual(old);
    const created = budgetsMock.commandCalls(CreateNotificationCommand).map((c) => c.args[0].input);
    expect(created.map((c) => [c.Notification?.NotificationType, c.Notification?.Threshold])).toEqual([
      ['ACTUAL', 80],
      ['FORECASTED', 80],
      ['ACTUAL', 100],
      ['FORECASTED', 100],
    ]);
    expect(created[0]?.Subscribers).toEqual([
      { SubscriptionType: 'EMAIL', Address: 'a@example.com' },
      { SubscriptionType: 'EMAIL', Address: 'b@example.com' },
      { SubscriptionType: 'SNS', Address: 'arn:aws:sns:us-east-1:123456789012:budgets' },
    ]);
  });

  test('refuses to update a budget that is gone', async () => {
    budgetsMock.on(DescribeBudgetCommand).resolves({});
    await expect(budgets.updateBudget('123456789012', spec)).rejects.toMatchObject({
      awsCode: 'NotFoundException',
    });
    expect(budgetsMock.commandCalls(UpdateBudgetCommand)).toHaveLength(0);
  });

  test('creates a monthly cost budget for the linked account with ACTUAL and FORECASTED per threshold', async () => {
    budgetsMock.on(CreateBudgetCommand).resolves({});
    await budgets.createBudget('123456789012', spec);
    const input = budgetsMock.commandCalls(CreateBudgetCommand)[0]?.args[0].input;
    expect(input?.AccountId).toBe('123456789012');
    expect(input?.Budget).toEqual({
      BudgetName: 'avf-111122223333',
      BudgetType: 'COST',
      TimeUnit: 'MONTHLY',
      BudgetLimit: { Amount: '500', Unit: 'USD' },
      CostFilters: { LinkedAccount: ['111122223333'] },
    });
    const subscribers = [
      { SubscriptionType: 'EMAIL', Address: 'a@example.com' },
      { SubscriptionType: 'EMAIL', Address: 'b@example.com' },
      { SubscriptionType: 'SNS', Address: spec.snsTopicArn },
    ];
    expect(input?.NotificationsWithSubscribers).toEqual(
      [80, 100].flatMap((Threshold) =>
        ['ACTUAL', 'FORECASTED'].map((NotificationType) => ({
          Notification: {
            NotificationType,
            ComparisonOperator: 'GREATER_THAN',
            Threshold,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: subscribers,
        })),
      ),
    );
  });

  test('a budget that already exists is success', async () => {
    budgetsMock.on(CreateBudgetCommand).rejects(new DuplicateRecordException({ message: 'dup', $metadata }));
    await expect(budgets.createBudget('123456789012', spec)).resolves.toBe(false);
  });

  test('fails before calling AWS when there are more than 10 email subscribers', async () => {
    const emails = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`);
    await expect(budgets.createBudget('123456789012', { ...spec, emails })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(budgetsMock).not.toHaveReceivedCommand(CreateBudgetCommand);
  });

  test('a missing budget is undefined', async () => {
    budgetsMock.on(DescribeBudgetCommand).rejects(new NotFoundException({ message: 'none', $metadata }));
    expect(await budgets.findBudget('123456789012', 'nope')).toBeUndefined();
  });
});

describe('StsAdapter', () => {
  test('builds the role ARN with the partition of the caller, asking who it is only once', async () => {
    stsMock
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '123456789012', Arn: 'arn:aws-cn:iam::123456789012:user/avf' });
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'AK', SecretAccessKey: 'SK', SessionToken: 'ST', Expiration: new Date(0) },
    });
    const sts = new StsAdapter(clients);
    expect(await sts.callerAccountId()).toBe('123456789012');
    expect(await sts.assumeAccountRole('111122223333', 'OrganizationAccountAccessRole', 'avf')).toEqual({
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
      sessionToken: 'ST',
      expiration: new Date(0),
    });
    expect(stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws-cn:iam::111122223333:role/OrganizationAccountAccessRole',
      RoleSessionName: 'avf',
    });
    expect(stsMock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });

  test('AccessDenied while the new account role propagates is retryable', async () => {
    stsMock
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/avf' });
    stsMock
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await expect(new StsAdapter(clients).assumeAccountRole('111122223333', 'R', 's')).rejects.toMatchObject({
      awsCode: 'AccessDenied',
      retryable: true,
    });
  });

  test('a failed caller-identity lookup is asked again next time', async () => {
    stsMock
      .on(GetCallerIdentityCommand)
      .rejectsOnce(Object.assign(new Error('slow'), { name: 'Throttling' }))
      .resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/avf' });
    const sts = new StsAdapter(clients);
    await expect(sts.callerAccountId()).rejects.toMatchObject({ retryable: true });
    expect(await sts.callerAccountId()).toBe('123456789012');
  });
});
