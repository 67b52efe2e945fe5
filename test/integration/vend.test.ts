import {
  BudgetsClient,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
} from '@aws-sdk/client-budgets';
import { CloudFormationClient, ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import { IdentitystoreClient, GetGroupIdCommand } from '@aws-sdk/client-identitystore';
import {
  ListAccountsCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  ListTagsForResourceCommand,
  OrganizationsClient,
  DescribeOrganizationalUnitCommand,
} from '@aws-sdk/client-organizations';
import {
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  DescribePermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { applyBootstrap } from '../../src/bootstrap';
import type { Runtime } from '../../src/app/runtime';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { CONTROLS } from '../../src/verify/controls';
import { ADMIN, serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

describe('vend one account end to end: real API over HTTP, real worker, moto as AWS', () => {
  let local: LocalFactory;
  let runtime: Runtime;
  let server: LocalApi;
  const aws = () => local.sdk();

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 7, workerId: 'it-worker' });
    runtime = local.runtime;
    server = await serveLocalApi(local);
  });

  afterAll(async () => {
    await server?.close();
    await local?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => server.call(method, path, body);

  it('goes from QUEUED to READY, and AWS holds exactly what was asked for', async () => {
    const posted = await api('POST', '/v1/account-requests', SAMPLE_REQUEST);
    expect(posted.status).toBe(202);
    expect(posted.headers.get('location')).toBe(`/v1/account-requests/${String(posted.body.id)}`);

    let view = posted.body;
    for (let i = 0; i < 200 && view.status !== 'READY' && view.status !== 'FAILED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await api('GET', `/v1/account-requests/${String(posted.body.id)}`)).body;
    }
    expect(view).toEqual(
      expect.objectContaining({ status: 'READY', controls: expect.objectContaining({ failed: 0 }) }),
    );
    const steps = view.steps as Array<{
      name: string;
      status: string;
      startedAt: string;
      finishedAt: string;
    }>;
    expect(steps.map((s) => s.status)).toEqual(steps.map(() => 'SUCCEEDED'));
    for (const s of steps) expect(Date.parse(s.finishedAt)).toBeGreaterThanOrEqual(Date.parse(s.startedAt));
    const accountId = view.accountId as string;

    // exactly one account with that email
    const orgs = new OrganizationsClient(aws());
    const accounts = (await orgs.send(new ListAccountsCommand({}))).Accounts ?? [];
    expect(accounts.filter((a) => a.Email === SAMPLE_REQUEST.email).map((a) => a.Id)).toEqual([accountId]);

    // in Workloads/NonProd
    const parent = (await orgs.send(new ListParentsCommand({ ChildId: accountId }))).Parents?.[0]?.Id;
    const ou = await orgs.send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: parent! }));
    expect(ou.OrganizationalUnit?.Name).toBe('NonProd');
    const grandParent = (await orgs.send(new ListParentsCommand({ ChildId: parent! }))).Parents?.[0]?.Id;
    const workloads = await orgs.send(
      new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: grandParent! }),
    );
    expect(workloads.OrganizationalUnit?.Name).toBe('Workloads');

    // tagged with the cost centre, owner and team
    const tags = (await orgs.send(new ListTagsForResourceCommand({ ResourceId: accountId }))).Tags ?? [];
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'CostCenter', Value: 'CC-1234' },
        { Key: 'Owner', Value: 'payments-lead@example.com' },
        { Key: 'Team', Value: 'payments' },
        { Key: 'environment', Value: 'dev' },
      ]),
    );

    // the SCP is in effect (inherited from Workloads) and the quarantine is gone
    const scpNames = async (target: string) =>
      (
        (
          await orgs.send(
            new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' }),
          )
        ).Policies ?? []
      ).map((p) => p.Name);
    expect(await scpNames(grandParent!)).toContain('deny-leave-organization');
    expect(await scpNames(accountId)).not.toContain('quarantine');

    // stack instances in both governed regions
    const cfn = new CloudFormationClient(aws());
    const instances =
      (await cfn.send(new ListStackInstancesCommand({ StackSetName: 'avf-baseline' }))).Summaries ?? [];
    const mine = instances.filter((i) => i.Account === accountId);
    expect(mine.map((i) => i.Region).sort()).toEqual(['eu-west-1', 'us-east-1']);
    expect(mine.every((i) => i.Status === 'CURRENT')).toBe(true);

    // the budget, filtered to the account, with ACTUAL and FORECASTED alerts at each threshold
    const budgets = new BudgetsClient(aws());
    const budget = (
      await budgets.send(
        new DescribeBudgetCommand({ AccountId: '123456789012', BudgetName: `avf-${accountId}` }),
      )
    ).Budget;
    expect(Number(budget?.BudgetLimit?.Amount)).toBe(500);
    expect(budget?.BudgetLimit?.Unit).toBe('USD');
    expect(budget?.TimeUnit).toBe('MONTHLY');
    expect(budget?.CostFilters).toEqual({ LinkedAccount: [accountId] });
    const notifications =
      (
        await budgets.send(
          new DescribeNotificationsForBudgetCommand({
            AccountId: '123456789012',
            BudgetName: `avf-${accountId}`,
          }),
        )
      ).Notifications ?? [];
    expect(notifications.map((n) => `${n.NotificationType}@${n.Threshold}`).sort()).toEqual([
      'ACTUAL@100',
      'ACTUAL@50',
      'ACTUAL@80',
      'FORECASTED@100',
      'FORECASTED@50',
      'FORECASTED@80',
    ]);

    // the group holds the Developer permission set in the account
    const sso = new SSOAdminClient(aws());
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances?.[0];
    const psArns =
      (await sso.send(new ListPermissionSetsCommand({ InstanceArn: instance!.InstanceArn! })))
        .PermissionSets ?? [];
    let developerArn: string | undefined;
    for (const arn of psArns) {
      const ps = await sso.send(
        new DescribePermissionSetCommand({ InstanceArn: instance!.InstanceArn!, PermissionSetArn: arn }),
      );
      if (ps.PermissionSet?.Name === 'Developer') developerArn = arn;
    }
    const groupId = (
      await new IdentitystoreClient(aws()).send(
        new GetGroupIdCommand({
          IdentityStoreId: instance!.IdentityStoreId!,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'payments-developers' },
          },
        }),
      )
    ).GroupId;
    const assignments =
      (
        await sso.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: instance!.InstanceArn!,
            AccountId: accountId,
            PermissionSetArn: developerArn!,
          }),
        )
      ).AccountAssignments ?? [];
    expect(assignments).toEqual([expect.objectContaining({ PrincipalType: 'GROUP', PrincipalId: groupId })]);
  });

  it('counts the AWS calls of the vend on the request and in the Prometheus metrics', async () => {
    const list = await api('GET', '/v1/account-requests?status=READY');
    const [ready] = list.body.items as Array<{ awsCalls?: number }>;
    expect(ready?.awsCalls).toBeGreaterThan(20);
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    // the bootstrap's calls count too: it created the log-archive and security accounts
    expect(text).toMatch(/avf_aws_calls_total\{service="organizations",operation="CreateAccount"\} 3\b/);
    expect(text).toMatch(/avf_accounts_ready_total 1\b/);
    expect(text).toMatch(new RegExp(`avf_aws_calls_per_account_sum ${String(ready?.awsCalls)}\\b`));
  });

  it('serves the verification of the vended account, control by control with evidence', async () => {
    const list = await api('GET', '/v1/account-requests');
    const accountId = (list.body.items as Array<{ accountId: string }>)[0]!.accountId;
    const compliance = await api('GET', `/v1/accounts/${accountId}/compliance`);
    expect(compliance.status).toBe(200);
    const results = compliance.body.results as Array<{ id: string; status: string; evidence: string }>;
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set(CONTROLS.map((c) => c.id)));
    for (const r of results) expect(r.evidence.length).toBeGreaterThan(0);
    // ERROR only where moto lacks the API (controls that declare an emulator gap)
    const gaps = new Set(CONTROLS.filter((c) => c.emulatorGap).map((c) => c.id));
    expect(results.filter((r) => r.status !== 'PASS' && !gaps.has(r.id))).toEqual([]);
    expect(compliance.body.blocking).toEqual([]);
  });

  it('refuses the same email again with 409 and stores nothing', async () => {
    const again = await api('POST', '/v1/account-requests', {
      ...SAMPLE_REQUEST,
      accountName: 'payments-dev-2',
    });
    expect(again.status).toBe(409);
    const list = await api('GET', '/v1/account-requests');
    expect((list.body.items as unknown[]).length).toBe(1);
  });

  it('a second bootstrap changes nothing', async () => {
    const second = await applyBootstrap(runtime.config, runtime.aws, { createGroups: true });
    expect(second.actions).toEqual([]);
  });
});
