import { BudgetsClient, DescribeBudgetCommand, NotFoundException } from '@aws-sdk/client-budgets';
import {
  CloudFormationClient,
  DescribeStackInstanceCommand,
  ListStackInstancesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeAccountCommand,
  DescribeOrganizationalUnitCommand,
  ListParentsCommand,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { PROFILES } from '../../src/local/aws-behaviour';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

/**
 * On moto behind the AWS behaviour layer (no delays): it keeps the OU targets of service-managed
 * stack instances, which moto does not, and answers with them as AWS does.
 */
describe('lifecycle on moto: vend, move, close; AWS holds the result', () => {
  let local: LocalFactory;
  let server: LocalApi;

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 11, workerId: 'lifecycle-worker', behaviour: PROFILES.instant });
    server = await serveLocalApi(local, { lifecycle: true });
  });

  afterAll(async () => {
    await server?.close();
    await local?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => server.call(method, path, body);

  /** GETs `path` every 50 ms until `done` holds (at most 10 s). */
  const until = async (path: string, done: (body: Record<string, unknown>) => boolean) => {
    let body = (await api('GET', path)).body;
    for (let i = 0; i < 200 && !done(body); i++) {
      await new Promise((r) => setTimeout(r, 50));
      body = (await api('GET', path)).body;
    }
    return body;
  };

  const orgs = () => new OrganizationsClient(local.sdk());
  const parentName = async (accountId: string) => {
    const parent = (await orgs().send(new ListParentsCommand({ ChildId: accountId }))).Parents?.[0]?.Id;
    const ou = await orgs().send(new DescribeOrganizationalUnitCommand({ OrganizationalUnitId: parent! }));
    return { id: parent!, name: ou.OrganizationalUnit?.Name };
  };
  /** Every StackSet's instances of the account, as `stackSet@region OU status` lines. */
  const stackInstances = async (accountId: string) => {
    const cfn = new CloudFormationClient(local.sdk());
    const lines: string[] = [];
    for (const { name } of local.runtime.config.config.stackSets) {
      const listed = await cfn.send(
        new ListStackInstancesCommand({ StackSetName: name, StackInstanceAccount: accountId }),
      );
      for (const i of (listed.Summaries ?? []).filter((x) => x.Account === accountId))
        lines.push(`${name}@${i.Region ?? ''} ${i.OrganizationalUnitId ?? '-'} ${i.Status ?? ''}`);
    }
    return lines.sort();
  };
  const everywhere = (ouId: string) =>
    local.runtime.config.config.stackSets
      .flatMap((s) => ['eu-west-1', 'us-east-1'].map((r) => `${s.name}@${r} ${ouId} CURRENT`))
      .sort();

  const scpNames = async (target: string) =>
    (
      (
        await orgs().send(
          new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' }),
        )
      ).Policies ?? []
    ).map((p) => p.Name);

  it('moves a vended account under its new guardrails, then decommissions and closes it', async () => {
    const posted = await api('POST', '/v1/account-requests', SAMPLE_REQUEST);
    expect(posted.status).toBe(202);
    const ready = await until(`/v1/account-requests/${String(posted.body.id)}`, (b) =>
      ['READY', 'FAILED'].includes(b.status as string),
    );
    expect(ready.status).toBe('READY');
    const accountId = ready.accountId as string;

    const nonProd = await parentName(accountId);
    expect(await stackInstances(accountId)).toEqual(everywhere(nonProd.id));

    // move: Workloads/NonProd → Sandbox, whose sandbox guardrails apply once the worker moved it
    const moved = await api('POST', `/v1/accounts/${accountId}/move`, { organizationalUnit: 'Sandbox' });
    expect(moved.status).toBe(202);
    expect(moved.body.baselineRedeploy).toEqual(expect.objectContaining({ status: 'IN_PROGRESS' }));
    await until(`/v1/accounts/${accountId}`, (b) => b.organizationalUnit === 'Sandbox');
    const sandbox = await parentName(accountId);
    expect(sandbox.name).toBe('Sandbox');
    expect(await scpNames(sandbox.id)).toEqual(
      expect.arrayContaining(['sandbox-guardrails', 'deny-leave-organization']),
    );

    // the baseline follows: every stack instance now belongs to the Sandbox OU, none to NonProd
    const redeployed = await until(
      `/v1/accounts/${accountId}`,
      (b) => (b.baselineRedeploy as { status: string }).status !== 'IN_PROGRESS',
    );
    expect(redeployed.baselineRedeploy).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    expect(await stackInstances(accountId)).toEqual(everywhere(sandbox.id));
    const instance = await new CloudFormationClient(local.sdk()).send(
      new DescribeStackInstanceCommand({
        StackSetName: 'avf-baseline',
        StackInstanceAccount: accountId,
        StackInstanceRegion: 'eu-west-1',
      }),
    );
    expect(instance.StackInstance?.OrganizationalUnitId).toBe(sandbox.id);
    const compliance = await api('GET', `/v1/accounts/${accountId}/compliance`);
    expect(compliance.body.blocking).toEqual([]);

    // verify now: a job the worker runs, its result the account's compliance
    const asked = await api('POST', `/v1/accounts/${accountId}/verify`);
    expect(asked.status).toBe(202);
    const job = await until(String(asked.headers.get('location')), (b) =>
      ['SUCCEEDED', 'FAILED'].includes(b.status as string),
    );
    expect(job).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    const verified = await api('GET', `/v1/accounts/${accountId}/compliance`);
    expect(verified.body.verifiedAt).toBe((job.summary as { verifiedAt: string }).verifiedAt);
    expect(verified.body.blocking).toEqual([]);
    // the stacks stayed through the move: the root-activity rule the baseline deploys is still there
    for (const id of ['S-1', 'L-5'])
      expect(verified.body.results).toContainEqual(expect.objectContaining({ id, status: 'PASS' }));

    // close at once: access revoked, budget deleted, moved to Suspended, closed in AWS
    const closing = await api('POST', `/v1/accounts/${accountId}/close`, { graceDays: 0 });
    expect(closing.status).toBe(202);
    const closed = await until(`/v1/accounts/${accountId}`, (b) => b.status === 'CLOSED');
    expect(closed).toEqual(expect.objectContaining({ status: 'CLOSED', organizationalUnit: 'Suspended' }));

    const suspended = await parentName(accountId);
    expect(suspended.name).toBe('Suspended');
    expect(await scpNames(suspended.id)).toContain('deny-leave-organization');

    const account = (await orgs().send(new DescribeAccountCommand({ AccountId: accountId }))).Account;
    expect(account?.State ?? account?.Status).toBe('SUSPENDED');

    const sso = new SSOAdminClient(local.sdk());
    const instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances?.[0]?.InstanceArn;
    const permissionSets =
      (await sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn! }))).PermissionSets ?? [];
    // Every permission set the config defines (ReadOnly, Developer, Admin, SecurityTriage).
    expect(permissionSets.length).toBe(local.runtime.config.config.permissionSets.length);
    for (const arn of permissionSets) {
      const name = (
        await sso.send(new DescribePermissionSetCommand({ InstanceArn: instanceArn!, PermissionSetArn: arn }))
      ).PermissionSet?.Name;
      const left = await sso.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: instanceArn!,
          AccountId: accountId,
          PermissionSetArn: arn,
        }),
      );
      expect({ name, assignments: left.AccountAssignments ?? [] }).toEqual({ name, assignments: [] });
    }

    const budgets = new BudgetsClient(local.sdk());
    await expect(
      budgets.send(new DescribeBudgetCommand({ AccountId: '123456789012', BudgetName: `avf-${accountId}` })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });
});
