import type { FactoryConfig } from '../config/schema';
import type { AwsPorts } from '../domain/ports/aws';
import type { CostAllocationTagStatus } from '../domain/ports/costs';
import type { BootstrapAction } from './actions';
import { emulatorGap } from './org-services';
import { partitionOf } from './org-service-policies';
import { canonicalJson } from '../domain/canonical-json';

/**
 * Finance's part of the foundation: the factory's tags activated as cost allocation tags (so Cost
 * Explorer and the bill can group by them), and the role AWS Budgets assumes to apply the
 * spending-freeze SCP (only where the config has freeze rules).
 */
export interface DesiredFinance {
  tagKeys: string[];
  /** The budget actions' execution role and the SCP it may attach; absent without freeze rules. */
  role?: { name: string; freezePolicy: string };
}

export interface ActualFinance {
  tags: Record<string, CostAllocationTagStatus>;
  role?: { arn: string; trustPolicy: string; policy?: string };
  /** The role's documents as they should be, when the organisation and the freeze SCP exist. */
  expected?: RoleDocuments;
  /** What the emulator cannot read, with why (never on real AWS). */
  gaps: string[];
}

export type FinanceAction = Extract<
  BootstrapAction,
  { kind: 'activate-cost-allocation-tags' | 'create-budget-actions-role' | 'update-budget-actions-role' }
>;

export interface RoleDocuments {
  trust: string;
  policy: string;
}

/** Where the role's documents point. */
export interface RoleContext {
  partition: string;
  managementAccountId: string;
  organizationId: string;
  freezePolicyId: string;
}

export function desiredFinance(config: FactoryConfig): DesiredFinance {
  const f = config.finance;
  return {
    tagKeys: f.costAllocationTags,
    ...(f.freezes.length > 0 ? { role: { name: f.executionRoleName, freezePolicy: f.freezePolicy } } : {}),
  };
}

/**
 * Trusted by AWS Budgets only for budgets of this management account (aws:SourceAccount, against
 * the confused deputy); allowed only to attach and detach the freeze SCP, and only on accounts of
 * this organisation (Organizations scopes AttachPolicy/DetachPolicy by policy and target ARN).
 */
export function budgetActionsRoleDocuments(ctx: RoleContext): RoleDocuments {
  const org = `arn:${ctx.partition}:organizations::${ctx.managementAccountId}`;
  return {
    trust: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'budgets.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': ctx.managementAccountId } },
        },
      ],
    }),
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ApplyAndReleaseTheSpendingFreeze',
          Effect: 'Allow',
          Action: ['organizations:AttachPolicy', 'organizations:DetachPolicy'],
          Resource: [
            `${org}:policy/${ctx.organizationId}/service_control_policy/${ctx.freezePolicyId}`,
            `${org}:account/${ctx.organizationId}/*`,
          ],
        },
      ],
    }),
  };
}

/** The role's context now, or undefined while the organisation or the freeze SCP is missing. */
export async function roleContext(
  ports: AwsPorts,
  region: string,
  freezePolicyId: string | undefined,
): Promise<RoleContext | undefined> {
  const org = await ports.organizations.describeOrganization();
  if (!org || freezePolicyId === undefined) return undefined;
  return {
    partition: partitionOf(region),
    managementAccountId: org.managementAccountId,
    organizationId: org.id,
    freezePolicyId,
  };
}

/** Reads the tags' status and the role. Reads only; an emulator's missing operation is a gap. */
export async function observeFinance(
  ports: AwsPorts,
  desired: DesiredFinance,
  context: () => Promise<RoleContext | undefined>,
  options: { emulator: boolean },
): Promise<ActualFinance> {
  const actual: ActualFinance = { tags: {}, gaps: [] };
  if (ports.costExplorer) {
    try {
      actual.tags = await ports.costExplorer.costAllocationTags(desired.tagKeys);
    } catch (err) {
      const gap = emulatorGap(err, options.emulator);
      if (gap === undefined) throw err;
      actual.gaps.push(`activate cost allocation tags ${desired.tagKeys.join(', ')}: ${gap}`);
      actual.tags = Object.fromEntries(desired.tagKeys.map((k) => [k, 'Active' as const]));
    }
  }
  if (desired.role && ports.executionRoles) {
    actual.role = await ports.executionRoles.findRole(desired.role.name);
    const ctx = await context();
    if (ctx) actual.expected = budgetActionsRoleDocuments(ctx);
  }
  return actual;
}

export function diffFinance(
  desired: DesiredFinance,
  actual: ActualFinance,
  ports: { costExplorer: boolean; executionRoles: boolean },
): FinanceAction[] {
  const keys = ports.costExplorer ? desired.tagKeys.filter((k) => actual.tags[k] !== 'Active') : [];
  const actions: FinanceAction[] =
    keys.length === 0
      ? []
      : [
          {
            kind: 'activate-cost-allocation-tags',
            keys,
            unseen: keys.filter((k) => (actual.tags[k] ?? 'NotFound') === 'NotFound'),
            description: `activate cost allocation tags ${keys.join(', ')}`,
          },
        ];
  const role = desired.role;
  if (!role || !ports.executionRoles) return actions;
  if (!actual.role)
    return [
      ...actions,
      {
        kind: 'create-budget-actions-role',
        roleName: role.name,
        freezePolicy: role.freezePolicy,
        description: `create role ${role.name} for AWS Budgets actions (attach/detach ${role.freezePolicy})`,
      },
    ];
  const want = actual.expected;
  const changed =
    want === undefined
      ? ['documents']
      : [
          ...(canonicalJson(actual.role.trustPolicy) === canonicalJson(want.trust) ? [] : ['trust policy']),
          ...(canonicalJson(actual.role.policy ?? '') === canonicalJson(want.policy) ? [] : ['policy']),
        ];
  return changed.length === 0
    ? actions
    : [
        ...actions,
        {
          kind: 'update-budget-actions-role',
          roleName: role.name,
          freezePolicy: role.freezePolicy,
          description: `update role ${role.name} for AWS Budgets actions (${changed.join(', ')})`,
        },
      ];
}

export const isFinanceAction = (a: BootstrapAction): a is FinanceAction =>
  a.kind === 'activate-cost-allocation-tags' ||
  a.kind === 'create-budget-actions-role' ||
  a.kind === 'update-budget-actions-role';
