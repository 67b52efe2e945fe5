import { runSimulation } from '@cloud-copilot/iam-simulate';
import { applyBootstrap } from '../../../src/bootstrap';
import { formatResult } from '../../../src/bootstrap/format';
import { FakeAws } from '../../support/fake-aws';
import { example } from './config-fixture';

const noWait = { sleep: (): Promise<void> => Promise.resolve() };
const ROLE = 'avf-budget-actions';

/** iam-simulate's verdict on one call by the execution role, under its own inline policy. */
async function allowed(
  policy: string,
  action: string,
  resource: string,
  account: string,
): Promise<string | boolean> {
  const principal = `arn:aws:iam::${account}:role/${ROLE}`;
  const result = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource, accountId: account },
        contextVariables: { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': account },
      },
      identityPolicies: [{ name: ROLE, policy: JSON.parse(policy) as object }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') return JSON.stringify(result.errors);
  return result.overallResult === 'Allowed';
}

describe('bootstrap: finance (cost allocation tags, the budget actions role)', () => {
  it('activates the tags and creates the role, least privilege, and a second run plans nothing', async () => {
    const aws = new FakeAws();
    const first = await applyBootstrap(example(), aws, noWait);
    expect(first.actions.map((a) => a.kind)).toEqual(
      expect.arrayContaining(['activate-cost-allocation-tags', 'create-budget-actions-role']),
    );
    expect(await aws.costExplorer.costAllocationTags(['CostCenter', 'Team', 'Owner'])).toEqual({
      CostCenter: 'Active',
      Team: 'Active',
      Owner: 'Active',
    });

    const role = aws.executionRoles.roles.get(ROLE);
    const org = await aws.organizations.describeOrganization();
    const mgmt = org?.managementAccountId ?? '';
    const trust = JSON.parse(role?.trustPolicy ?? '{}') as { Statement: unknown[] };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'budgets.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': mgmt } },
      },
    ]);

    const policies = await aws.organizations.listPolicies('SERVICE_CONTROL_POLICY');
    const id = (name: string) => policies.find((p) => p.name === name)?.id ?? '';
    const arn = (rest: string) => `arn:aws:organizations::${mgmt}:${rest}`;
    const freeze = arn(`policy/${org?.id}/service_control_policy/${id('spending-freeze')}`);
    const other = arn(`policy/${org?.id}/service_control_policy/${id('baseline-guardrails')}`);
    const member = arn(`account/${org?.id}/210987654321`);
    const policy = role?.policy ?? '';
    expect(await allowed(policy, 'organizations:AttachPolicy', freeze, mgmt)).toBe(true);
    expect(await allowed(policy, 'organizations:DetachPolicy', member, mgmt)).toBe(true);
    expect(await allowed(policy, 'organizations:DetachPolicy', other, mgmt)).toBe(false);
    expect(
      await allowed(policy, 'organizations:AttachPolicy', arn(`account/o-other/210987654321`), mgmt),
    ).toBe(false);
    expect(await allowed(policy, 'organizations:CreatePolicy', '*', mgmt)).toBe(false);
    expect(await allowed(policy, 'iam:PassRole', '*', mgmt)).toBe(false);

    const second = await applyBootstrap(example(), aws, noWait);
    expect(second.actions).toEqual([]);
  });

  it('puts a drifted role policy back', async () => {
    const aws = new FakeAws();
    await applyBootstrap(example(), aws, noWait);
    const role = aws.executionRoles.roles.get(ROLE);
    const original = role?.policy;
    if (role)
      role.policy = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      });
    const again = await applyBootstrap(example(), aws, noWait);
    expect(again.actions.map((a) => a.description)).toEqual([
      `update role ${ROLE} for AWS Budgets actions (policy)`,
    ]);
    expect(aws.executionRoles.roles.get(ROLE)?.policy).toBe(original);
  });

  it('waits, without failing, for a tag key AWS has not seen on a bill yet; fails on any other refusal', async () => {
    const aws = new FakeAws();
    const refuse = (keys: string[]) => keys.map((key) => ({ key, reason: 'TagKeyNotFound' }));
    aws.costExplorer.activateCostAllocationTags = (keys) =>
      Promise.resolve(refuse(keys.filter((k) => k === 'Owner')));
    const result = await applyBootstrap(example(), aws, noWait);
    expect(result.waiting).toEqual([
      expect.stringMatching(
        /^cost allocation tag Owner: not in the billing data yet \(TagKeyNotFound\).*run avf bootstrap again/,
      ),
    ]);
    expect(formatResult(result)).toContain('Waiting for AWS (run avf bootstrap again later):');

    aws.costExplorer.tags.set('Owner', 'Inactive');
    await expect(applyBootstrap(example(), aws, noWait)).rejects.toThrow(
      'Cost Explorer refused to activate Owner (TagKeyNotFound)',
    );
  });

  it('a dry run lists the finance changes and makes none', async () => {
    const aws = new FakeAws();
    const result = await applyBootstrap(example(), aws, { ...noWait, dryRun: true });
    expect(result.actions.map((a) => a.description)).toEqual(
      expect.arrayContaining([
        'activate cost allocation tags CostCenter, Team, Owner',
        `create role ${ROLE} for AWS Budgets actions (attach/detach spending-freeze)`,
      ]),
    );
    expect(aws.executionRoles.roles.size).toBe(0);
    expect(aws.costExplorer.tags.size).toBe(0);
  });
});
