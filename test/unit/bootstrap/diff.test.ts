import { desiredFoundation, type DesiredFoundation } from '../../../src/bootstrap/desired';
import { diffFoundation, stackSetOperationId } from '../../../src/bootstrap/diff';
import { formatPlan } from '../../../src/bootstrap/format';
import { budgetActionsRoleDocuments } from '../../../src/bootstrap/finance';
import { emptyFoundation, policyKey, type ActualFoundation } from '../../../src/bootstrap/observe';
import { example } from './config-fixture';
import { matchingOrgServices } from './org-services-fixture';

/** The pure diff, without AWS: hand-made live states against the example config. */

const desired = (createGroups = true): DesiredFoundation =>
  desiredFoundation(example(), { createGroups }).desired;

const empty = emptyFoundation;

/** A live state that already is everything `d` describes. */
function matching(d: DesiredFoundation): ActualFoundation {
  const ous = Object.fromEntries(d.ouPaths.map((p, i) => [p, `ou-${i}`]));
  return {
    organization: true,
    rootId: 'r-1',
    enabledPolicyTypes: [...d.policyTypes],
    servicePrincipals: [...d.servicePrincipals],
    ous,
    policies: Object.fromEntries(
      d.policies.map((p, i) => [
        policyKey(p.type, p.name),
        { id: `p-${i}`, description: p.description, content: p.content },
      ]),
    ),
    attachments: d.attachments.reduce<ActualFoundation['attachments']>((acc, a) => {
      acc[a.target] = [...(acc[a.target] ?? []), { name: a.name, type: a.type }];
      return acc;
    }, {}),
    accounts: Object.fromEntries(
      d.accounts.map((a, i) => [a.key, { id: `10000000000${i}`, parentId: ous[a.ouPath] }]),
    ),
    permissionSets: Object.fromEntries(
      d.permissionSets.map((p) => [p.name, { arn: `arn:${p.name}`, definition: p }]),
    ),
    groups: [...d.groups],
    stackSets: Object.fromEntries(d.stackSets.map((s) => [s.name, s])),
    orgServices: matchingOrgServices(d),
    finance: {
      tags: Object.fromEntries(d.finance.tagKeys.map((k) => [k, 'Active' as const])),
      role: { arn: 'arn:aws:iam::1:role/avf-budget-actions', ...roleDocs() },
      expected: roleDocs(),
      gaps: [],
    },
  };
}

function roleDocs(): { trustPolicy: string; policy: string; trust: string } {
  const docs = budgetActionsRoleDocuments({
    partition: 'aws',
    managementAccountId: '123456789012',
    organizationId: 'o-example',
    freezePolicyId: 'p-freeze',
  });
  return { trustPolicy: docs.trust, trust: docs.trust, policy: docs.policy };
}

describe('diffFoundation', () => {
  it('plans nothing when the live state matches', () => {
    expect(diffFoundation(desired(), matching(desired()))).toEqual([]);
  });

  it('plans the whole foundation, in a working order, from nothing', () => {
    const kinds = diffFoundation(desired(), empty()).map((a) => a.kind);

    expect([...new Set(kinds)]).toEqual([
      'create-organization',
      'enable-policy-type',
      'enable-service-access',
      'create-ou',
      'create-policy',
      'attach-policy',
      'create-account',
      'create-permission-set',
      'create-group',
      'create-stack-set',
      'create-trail-key',
      'ensure-log-bucket',
      'create-trail',
      'register-delegated-admin',
      'enable-org-admin',
      'enable-auto-enable',
      'enable-security-standard',
      'create-organization-analyzer',
      'activate-cost-allocation-tags',
      'create-budget-actions-role',
    ]);
  });

  it('activates only the tags that are not Active, noting those AWS has not listed yet', () => {
    const actual = matching(desired());
    actual.finance.tags = { CostCenter: 'Active', Team: 'Inactive' };
    expect(diffFoundation(desired(), actual)).toEqual([
      {
        kind: 'activate-cost-allocation-tags',
        keys: ['Team', 'Owner'],
        unseen: ['Owner'],
        description: 'activate cost allocation tags Team, Owner',
      },
    ]);
  });

  it('updates the budget actions role whose policy drifted, and skips what has no client', () => {
    const actual = matching(desired());
    actual.finance.role = { arn: 'arn:x', trustPolicy: roleDocs().trust, policy: '{"Statement":[]}' };
    expect(diffFoundation(desired(), actual).map((a) => a.description)).toEqual([
      'update role avf-budget-actions for AWS Budgets actions (policy)',
    ]);
    delete actual.finance.role;
    actual.finance.tags = {};
    expect(diffFoundation(desired(), actual, { costExplorer: false, executionRoles: false })).toEqual([]);
  });

  it('creates only the missing OU and attaches its policies', () => {
    const actual = matching(desired());
    delete actual.ous['Sandbox'];
    delete actual.attachments['Sandbox'];

    expect(diffFoundation(desired(), actual).map((a) => a.description)).toEqual([
      'create OU Sandbox',
      'attach deny-leave-organization to OU Sandbox',
      'attach sandbox-guardrails to OU Sandbox',
    ]);
  });

  it('updates a policy whose description changed', () => {
    const actual = matching(desired());
    const key = policyKey('SERVICE_CONTROL_POLICY', 'quarantine');
    actual.policies[key] = { id: 'p-q', content: actual.policies[key]?.content ?? '', description: 'old' };

    expect(diffFoundation(desired(), actual).map((a) => a.description)).toEqual([
      'update policy quarantine (description) from stacksets/scp/quarantine.json',
    ]);
  });

  it('moves a foundation account that is not in its OU, and waits for one being created', () => {
    const actual = matching(desired());
    actual.accounts.logArchive = { id: '111111111111', parentId: 'r-1' };
    actual.accounts.security = { pendingRequestId: 'car-1' };

    expect(diffFoundation(desired(), actual)).toEqual([
      expect.objectContaining({
        kind: 'move-account',
        accountId: '111111111111',
        sourceParentId: 'r-1',
        ouPath: 'Security',
      }),
      expect.objectContaining({ kind: 'create-account', account: 'security', requestId: 'car-1' }),
    ]);
  });

  it('updates a permission set whose managed policies changed, whatever their order', () => {
    const actual = matching(desired());
    const dev = actual.permissionSets['Developer'];
    if (dev) dev.definition = { ...dev.definition, managedPolicies: [] };
    const admin = actual.permissionSets['Admin'];
    if (admin)
      admin.definition = {
        ...admin.definition,
        managedPolicies: [...admin.definition.managedPolicies].reverse(),
      };

    expect(diffFoundation(desired(), actual).map((a) => a.description)).toEqual([
      'update permission set Developer (managed policies)',
    ]);
  });

  it('updates a StackSet whose template changed, with a deterministic operation id', () => {
    const actual = matching(desired());
    const baseline = actual.stackSets['avf-baseline'];
    if (baseline)
      actual.stackSets['avf-baseline'] = {
        ...baseline,
        templateBody: 'old',
        parameters: { ...baseline.parameters, Extra: 'kept' },
      };

    const [action] = diffFoundation(desired(), actual);

    expect(action).toMatchObject({
      kind: 'update-stack-set',
      description: 'update StackSet avf-baseline (template)',
    });
    expect(action?.kind === 'update-stack-set' && action.operationId).toBe(
      stackSetOperationId(desired().stackSets[0]!),
    );
    expect(action?.kind === 'update-stack-set' && action.operationId).toMatch(/^avf-bootstrap-[0-9a-f]{24}$/);
  });

  it('leaves groups alone unless asked to create them', () => {
    expect(diffFoundation(desired(false), empty()).some((a) => a.kind === 'create-group')).toBe(false);
  });
});

describe('formatPlan', () => {
  it('numbers the actions', () => {
    const lines = formatPlan(diffFoundation(desired(), empty()));
    expect(lines[0]).toMatch(/^\d+ change\(s\):$/);
    expect(lines[1]).toBe('   1. create the organisation (all features)');
  });

  it('says when there is nothing to do', () => {
    expect(formatPlan([])).toEqual(['The organisation matches the config: nothing to do.']);
  });
});
