import { failed, pass, type Control, type ControlContext } from '../verifier';
import { accountParent, accountScps, oncePerVerification } from './once-per-verification';

/** The account and every OU above it up to the root: where SCPs that apply to it can be attached. */
async function policyTargets(ctx: ControlContext): Promise<string[]> {
  const orgs = ctx.aws.organizations;
  const rootId = await ctx.directory.rootId();
  const chain = [ctx.target.accountId];
  let current = await accountParent(ctx);
  chain.push(current);
  for (let depth = 1; depth < 6 && current !== rootId; depth++) {
    current = await orgs.getParentId(current);
    chain.push(current);
  }
  return chain;
}

/**
 * SCPs in effect on the account: attached to it or inherited from its OUs and the root. Read once
 * per verification (several controls need them); a failed read is not kept.
 */
export function effectiveScps(ctx: ControlContext): Promise<Array<{ id: string; name: string }>> {
  return oncePerVerification(ctx, 'effective-scps', async () => {
    // the account's own (shared with the quarantine control), then its OUs' and the root's
    const [, ...above] = await policyTargets(ctx);
    const lists = await Promise.all([
      accountScps(ctx),
      ...above.map((t) => ctx.aws.organizations.listPoliciesForTarget(t, 'SERVICE_CONTROL_POLICY')),
    ]);
    return [...new Map(lists.flat().map((p) => [p.id, p])).values()];
  });
}

/** SCP names in effect on the account: attached to it or inherited from its OUs and the root. */
export async function effectiveScpNames(ctx: ControlContext): Promise<Set<string>> {
  return new Set((await effectiveScps(ctx)).map((p) => p.name));
}

/** An OU path's policies from the config, and those of its ancestors and the root. */
function configuredScps(ctx: ControlContext): string[] {
  const { config } = ctx.config;
  const parts = ctx.target.spec.organizationalUnit.split('/');
  const paths = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  const fromOus = config.organizationalUnits.filter((o) => paths.includes(o.path)).flatMap((o) => o.policies);
  return [...new Set([...config.rootPolicies, ...fromOus])].filter(
    (name) => (config.policies[name]?.type ?? 'SERVICE_CONTROL_POLICY') === 'SERVICE_CONTROL_POLICY',
  );
}

export const placementControl: Control = {
  id: 'O-1',
  title: 'account is in its requested OU',
  seeds: ['002'],
  enforcedBy: 'org (MoveAccount)',
  settledBy: 'place-account',
  async evaluate(ctx) {
    const expected = await ctx.directory.ouId(ctx.target.spec.organizationalUnit);
    const parent = await accountParent(ctx);
    return [
      parent === expected
        ? pass(`parent ${parent} is ${ctx.target.spec.organizationalUnit}`)
        : failed(`parent is ${parent}, expected ${ctx.target.spec.organizationalUnit} (${expected})`),
    ];
  },
};

export const guardrailsControl: Control = {
  id: 'G-1',
  title: 'the OU guardrail SCPs are in effect (deny leaving the organisation and the configured set)',
  seeds: ['002'],
  enforcedBy: 'SCP',
  settledBy: 'place-account',
  async evaluate(ctx) {
    const effective = await effectiveScpNames(ctx);
    const expected = configuredScps(ctx);
    const missing = expected.filter((name) => !effective.has(name));
    return [
      missing.length === 0
        ? pass(`in effect: ${[...effective].sort().join(', ')}`)
        : failed(`missing: ${missing.join(', ')}; in effect: ${[...effective].sort().join(', ')}`),
    ];
  },
};

export const tagsControl: Control = {
  id: 'G-9',
  title: 'required tags (cost centre, owner, team) on the account',
  seeds: ['002'],
  enforcedBy: 'org (account tags)',
  settledBy: 'place-account',
  async evaluate(ctx) {
    const tags = await ctx.aws.organizations.listTags(ctx.target.accountId);
    const { spec } = ctx.target;
    const required: Record<string, string | undefined> = {
      CostCenter: spec.costCenter,
      Owner: spec.owner.email.toLowerCase(),
      Team: spec.owner.team,
      ...Object.fromEntries(ctx.config.config.accounts.requiredTags.map((k) => [k, spec.tags[k]])),
    };
    const wrong = Object.entries(required).filter(([k, v]) => tags[k] !== v);
    return [
      wrong.length === 0
        ? pass(
            Object.keys(required)
              .map((k) => `${k}=${tags[k]}`)
              .join(', '),
          )
        : failed(
            wrong
              .map(([k, v]) => `${k}: found ${tags[k] ?? 'nothing'}, expected ${v ?? '(a value)'}`)
              .join('; '),
          ),
    ];
  },
};
