import { createAwsPorts } from '../../src/aws';
import { dayOf } from '../../src/domain/costs';
import type { AwsPorts } from '../../src/domain/ports/aws';
import { startBehaviourProxy, type BehaviourProxy } from '../../src/local/aws-behaviour';
import { SPEND_PATH } from '../../src/local/aws-behaviour/billing';
import { startMoto, type LocalAws } from '../../src/local/moto';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const FREEZE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'ec2:RunInstances', Resource: '*' }],
});

/**
 * The finance adapters with the real SDK over HTTP: GetCostAndUsage served by moto from injected
 * results (pages followed by NextPageToken), and — behind the behaviour layer, which emulates what
 * moto lacks — budget actions freezing and releasing an account, calculated spend, forecasts and
 * anomalies from one seeded bill.
 */
describe('finance against moto_server', () => {
  let moto: LocalAws;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => moto.stop());

  it('reads daily unblended cost per linked account, page by page, from moto’s injected results', async () => {
    await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
    const group = (id: string, usd: string) => ({
      Keys: [id],
      Metrics: { UnblendedCost: { Amount: usd, Unit: 'USD' } },
    });
    const results = [
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-12-01', End: '2026-12-02' },
            Groups: [group('111111111111', '12.5')],
            Estimated: false,
          },
        ],
        NextPageToken: 'page-2',
      },
      {
        ResultsByTime: [
          {
            TimePeriod: { Start: '2026-12-02', End: '2026-12-03' },
            Groups: [group('111111111111', '3.25'), group('222222222222', '7')],
            Estimated: true,
          },
        ],
      },
    ];
    const res = await fetch(`${moto.endpoint}/moto-api/static/ce/cost-and-usage-results`, {
      method: 'POST',
      body: JSON.stringify({ results }),
    });
    expect(res.status).toBe(201);
    const aws = createAwsPorts({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
    const first = await aws.costExplorer!.dailyCosts({ start: '2026-12-01', end: '2026-12-04' });
    expect(first).toEqual({
      items: [{ date: '2026-12-01', accountId: '111111111111', usd: 12.5, estimated: false }],
      nextPageToken: 'page-2',
    });
    const second = await aws.costExplorer!.dailyCosts({
      start: '2026-12-01',
      end: '2026-12-04',
      pageToken: 'page-2',
    });
    expect(second.nextPageToken).toBeUndefined();
    expect(second.items).toEqual([
      { date: '2026-12-02', accountId: '111111111111', usd: 3.25, estimated: true },
      { date: '2026-12-02', accountId: '222222222222', usd: 7, estimated: true },
    ]);
  });

  describe('behind the behaviour layer', () => {
    let proxy: BehaviourProxy;
    let aws: AwsPorts;
    let account: string;
    let policyId: string;
    const payer = '123456789012';

    beforeAll(async () => {
      await fetch(`${moto.endpoint}/moto-api/reset`, { method: 'POST' });
      proxy = await startBehaviourProxy({
        upstream: moto.endpoint,
        profile: { createAccount: { durationMs: 0 } },
      });
      aws = createAwsPorts({ region: 'us-east-1', endpoint: proxy.endpoint, credentials: CREDENTIALS });
      await aws.organizations.createOrganization();
      const root = await aws.organizations.getRoot();
      await aws.organizations.enablePolicyType(root.id, 'SERVICE_CONTROL_POLICY');
      const created = await aws.organizations.startCreateAccount({
        email: 'spender@example.com',
        accountName: 'spender',
        roleName: 'OrganizationAccountAccessRole',
        tags: {},
      });
      account =
        created.accountId ?? (await aws.organizations.getCreateAccountStatus(created.requestId)).accountId!;
      policyId = await aws.organizations.createPolicy({
        name: 'spending-freeze',
        description: 'freeze',
        type: 'SERVICE_CONTROL_POLICY',
        content: FREEZE,
      });
      await aws.budgets.createBudget(payer, {
        name: `avf-${account}`,
        linkedAccountId: account,
        monthlyLimitUsd: 100,
        thresholdsPercent: [80, 100],
        emails: ['finance@example.com'],
      });
    });
    afterAll(async () => proxy.stop());

    const seed = (entries: object) =>
      fetch(`${proxy.endpoint}${SPEND_PATH}`, { method: 'POST', body: JSON.stringify(entries) });
    const policies = async () =>
      (await aws.organizations.listPoliciesForTarget(account, 'SERVICE_CONTROL_POLICY')).map((p) => p.name);

    it('fires an automatic freeze once spend passes the threshold, and reverses it on release', async () => {
      const actionId = await aws.budgets.createFreezeAction(payer, {
        budgetName: `avf-${account}`,
        accountId: account,
        policyId,
        thresholdPercent: 100,
        approval: 'AUTOMATIC',
        executionRoleArn: `arn:aws:iam::${payer}:role/avf-budget-actions`,
        emails: ['finance@example.com'],
      });
      expect((await aws.budgets.listBudgetActions(payer))[0]).toEqual(
        expect.objectContaining({ actionId, status: 'STANDBY', targetIds: [account], policyId }),
      );
      expect((await seed({ accountId: account, usd: 60 })).status).toBe(200);
      expect((await aws.budgets.listBudgetSpend(payer))[0]).toEqual(
        expect.objectContaining({ name: `avf-${account}`, limitUsd: 100, actualUsd: 60 }),
      );
      expect((await aws.budgets.listBudgetActions(payer))[0]?.status).toBe('STANDBY');
      expect(await policies()).not.toContain('spending-freeze');

      await seed({ accountId: account, usd: 45 });
      expect((await aws.budgets.listBudgetActions(payer))[0]?.status).toBe('EXECUTION_SUCCESS');
      expect(await policies()).toContain('spending-freeze');

      await aws.budgets.executeBudgetAction(payer, `avf-${account}`, actionId, 'REVERSE');
      expect((await aws.budgets.describeBudgetAction(payer, `avf-${account}`, actionId))?.status).toBe(
        'REVERSE_SUCCESS',
      );
      expect(await policies()).not.toContain('spending-freeze');
      await expect(
        aws.budgets.executeBudgetAction(payer, `avf-${account}`, actionId, 'APPROVE'),
      ).rejects.toThrow(/not allowed/);
    });

    it('answers Cost Explorer from the same bill: usage pages, forecast, anomalies, tags', async () => {
      const ce = aws.costExplorer!;
      const today = dayOf(new Date());
      const { items } = await ce.dailyCosts({ start: `${today.slice(0, 7)}-01`, end: '2999-01-01' });
      expect(items).toEqual([{ date: today, accountId: account, usd: 105, estimated: true }]);
      expect(await ce.forecast('999999999999', today, '2999-01-01')).toBeUndefined();
      expect(await ce.forecast(account, today, today)).toBe(0);

      const monitor = await ce.createMonitor('avf-account', { kind: 'account', accountId: account });
      expect(await ce.listMonitors()).toEqual([{ arn: monitor, name: 'avf-account' }]);
      const spec = {
        name: 'avf-account',
        monitorArns: [monitor],
        emails: ['finance@example.com'],
        frequency: 'DAILY' as const,
        thresholdUsd: 100,
        thresholdPercent: 20,
      };
      const sub = await ce.createSubscription(spec);
      expect(await ce.listSubscriptions()).toEqual([{ ...spec, arn: sub }]);
      await ce.updateSubscription(sub, { ...spec, emails: ['finance@example.com', 'owner@example.com'] });
      expect((await ce.listSubscriptions())[0]?.emails).toEqual(['finance@example.com', 'owner@example.com']);

      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const before = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
      await seed([
        { accountId: '333333333333', date: before, usd: 5 },
        { accountId: '333333333333', date: yesterday, usd: 80 },
      ]);
      const found = await ce.anomalies({ start: before, end: today });
      expect(found.items).toEqual([
        expect.objectContaining({
          accountId: '333333333333',
          startDate: yesterday,
          impactUsd: 75,
          monitorArn: monitor,
        }),
      ]);

      expect(await ce.costAllocationTags(['CostCenter'])).toEqual({ CostCenter: 'NotFound' });
      await ce.activateCostAllocationTags(['CostCenter', 'Team']);
      expect(await ce.costAllocationTags(['CostCenter', 'Team', 'Owner'])).toEqual({
        CostCenter: 'Active',
        Team: 'Active',
        Owner: 'NotFound',
      });
    });
  });
});
