import { failed, pass, type Control, type ControlContext } from '../verifier';
import { boundaryPolicyControl } from './permissions-boundary';
import { ORG_SERVICE_CONTROLS } from './org-services';
import { denyingPolicies, effectiveStatements, type DeniedAction } from './scp-statements';

/**
 * The controls enforced by an SCP: each checks that an SCP in effect on the
 * account (attached to it, its OUs or the root) denies the actions the control names.
 */

/** The flag on the account's OU or an OU above it. */
function ouFlag(ctx: ControlContext, flag: 'sandbox' | 'private'): boolean {
  const parts = ctx.target.spec.organizationalUnit.split('/');
  const paths = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  return ctx.config.config.organizationalUnits.some((o) => paths.includes(o.path) && o[flag]);
}

interface ScpControlSpec {
  id: string;
  title: string;
  seeds: string[];
  denied: (ctx: ControlContext) => DeniedAction[];
  /** Why the control does not apply to this account, if it does not. */
  notApplicable?: (ctx: ControlContext) => string | undefined;
}

const describeWant = (w: DeniedAction): string =>
  `${w.action}${w.resource ? ` on ${w.resource}` : ''}${w.conditionKey ? ` (by ${w.conditionKey})` : ''}`;

function scpControl(spec: ScpControlSpec): Control {
  return {
    id: spec.id,
    title: spec.title,
    seeds: spec.seeds,
    enforcedBy: 'SCP',
    settledBy: 'place-account',
    async evaluate(ctx) {
      const reason = spec.notApplicable?.(ctx);
      if (reason !== undefined) return [pass(`not applicable: ${reason}`)];
      const { names, statements } = await effectiveStatements(ctx);
      const wants = spec.denied(ctx);
      const found = wants.map((w) => ({ w, by: denyingPolicies(statements, w) }));
      const missing = found.filter((f) => f.by.length === 0).map((f) => describeWant(f.w));
      const by = [...new Set(found.flatMap((f) => f.by))].sort();
      return [
        missing.length === 0
          ? pass(`denied by ${by.join(', ')}: ${wants.map(describeWant).join(', ')}`)
          : failed(`no SCP in effect denies ${missing.join(', ')}; in effect: ${names.join(', ') || 'none'}`),
      ];
    },
  };
}

const actions =
  (...names: string[]): (() => DeniedAction[]) =>
  () =>
    names.map((action) => ({ action }));

const protectedRoles = (ctx: ControlContext): DeniedAction[] =>
  ctx.config.config.organization.factoryRoleNames.flatMap((name) =>
    ['iam:DeleteRole', 'iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy'].map((action) => ({
      action,
      resource: `arn:*:iam::*:role/${name}`,
    })),
  );

const SCP_CONTROLS: Control[] = [
  scpControl({
    id: 'G-2',
    title: 'CloudTrail, Config, GuardDuty, Security Hub and Access Analyzer cannot be disabled',
    seeds: ['002'],
    denied: actions(
      'cloudtrail:StopLogging',
      'cloudtrail:DeleteTrail',
      'config:StopConfigurationRecorder',
      'config:DeleteConfigurationRecorder',
      'guardduty:DeleteDetector',
      'securityhub:DisableSecurityHub',
      'access-analyzer:DeleteAnalyzer',
    ),
  }),
  scpControl({
    id: 'G-5',
    title: 'no reserved-instance or savings-plan purchases, no expensive instance families (sandbox OUs)',
    seeds: ['002'],
    notApplicable: (ctx) => (ouFlag(ctx, 'sandbox') ? undefined : 'the account is not in a sandbox OU'),
    denied: () => [
      { action: 'ec2:PurchaseReservedInstancesOffering' },
      { action: 'savingsplans:CreateSavingsPlan' },
      { action: 'ec2:RunInstances', conditionKey: 'ec2:InstanceType' },
    ],
  }),
  scpControl({
    id: 'G-6',
    title: 'no internet gateway (private OUs)',
    seeds: ['002'],
    notApplicable: (ctx) => (ouFlag(ctx, 'private') ? undefined : 'the account is not in a private OU'),
    denied: actions('ec2:CreateInternetGateway', 'ec2:AttachInternetGateway'),
  }),
  scpControl({
    id: 'G-7',
    title: 'KMS keys cannot be deleted',
    seeds: ['002', '003'],
    denied: actions('kms:ScheduleKeyDeletion', 'kms:DeleteImportedKeyMaterial'),
  }),
  scpControl({
    id: 'G-8',
    title: 'S3 Block Public Access (and EBS default encryption) cannot be turned off',
    seeds: ['000'],
    denied: actions('s3:PutAccountPublicAccessBlock', 'ec2:DisableEbsEncryptionByDefault'),
  }),
  scpControl({
    id: 'G-11',
    title: "the factory's roles cannot be tampered with",
    seeds: ['002'],
    denied: protectedRoles,
  }),
  scpControl({
    id: 'IAM-6',
    title: 'roles can only be created inside the permissions boundary',
    seeds: ['002'],
    denied: () => [
      { action: 'iam:CreateRole', conditionKey: 'iam:PermissionsBoundary' },
      { action: 'iam:PutRolePermissionsBoundary', conditionKey: 'iam:PermissionsBoundary' },
    ],
  }),
  boundaryPolicyControl,
];

/** G-3: a Deny on everything but the global services outside exactly the configured regions. */
const regionControl: Control = {
  id: 'G-3',
  title: 'only the governed regions (global services exempt)',
  seeds: ['002'],
  enforcedBy: 'SCP',
  settledBy: 'place-account',
  async evaluate(ctx) {
    const { names, statements } = await effectiveStatements(ctx);
    const governed = ctx.config.config.governedRegions;
    const want = [...governed].sort();
    const regionDenies = statements.filter(
      (s) =>
        s.effect === 'Deny' &&
        s.notActions.length > 0 &&
        s.condition['StringNotEquals']?.['aws:RequestedRegion'],
    );
    const exact = regionDenies.find(
      (s) =>
        [...(s.condition['StringNotEquals']?.['aws:RequestedRegion'] ?? [])].sort().join() === want.join(),
    );
    if (exact) return [pass(`${exact.policy} denies requests outside ${governed.join(', ')}`)];
    const seen = regionDenies.map(
      (s) =>
        `${s.policy} allows ${(s.condition['StringNotEquals']?.['aws:RequestedRegion'] ?? []).join(', ')}`,
    );
    return [
      failed(
        seen.length > 0
          ? `${seen.join('; ')}; the config governs ${governed.join(', ')}`
          : `no SCP in effect restricts regions; in effect: ${names.join(', ') || 'none'}`,
      ),
    ];
  },
};

/** G-10: the AI-services opt-out policy is attached at the root and opts every service out. */
const aiOptOutControl: Control = {
  id: 'G-10',
  title: 'AI services opt-out',
  seeds: ['002'],
  enforcedBy: 'org',
  settledBy: 'place-account',
  async evaluate(ctx) {
    const orgs = ctx.aws.organizations;
    const attached = await orgs.listPoliciesForTarget(
      await ctx.directory.rootId(),
      'AISERVICES_OPT_OUT_POLICY',
    );
    const docs = await Promise.all(attached.map((p) => orgs.describePolicy(p.id)));
    const optsOut = docs.find((d) => {
      try {
        const parsed = JSON.parse(d.content) as {
          services?: { default?: { opt_out_policy?: { '@@assign'?: string } } };
        };
        return parsed.services?.default?.opt_out_policy?.['@@assign'] === 'optOut';
      } catch {
        return false;
      }
    });
    return [
      optsOut
        ? pass(`${optsOut.name} at the root opts every AI service out`)
        : failed(
            `no AI-services opt-out policy with default optOut at the root (attached: ${attached.map((p) => p.name).join(', ') || 'none'})`,
          ),
    ];
  },
};

/** Every SCP and organisation-level control this module checks, in report order. */
export const GUARDRAIL_CONTROLS: Control[] = [
  ...SCP_CONTROLS,
  regionControl,
  aiOptOutControl,
  ...ORG_SERVICE_CONTROLS,
];
