import type { Control } from '../verifier';

/** S-1: every configured StackSet has a CURRENT, SUCCEEDED instance in each of its regions. */
export const baselineStackSetsControl: Control = {
  id: 'S-1',
  title: 'baseline StackSet instances deployed in every governed region',
  seeds: ['002', '004'],
  enforcedBy: 'StackSet',
  async evaluate(ctx) {
    const { config } = ctx.config;
    const results = await Promise.all(
      config.stackSets.map(async (stackSet) => {
        const instances = await ctx.aws.stackSets.listStackInstances(stackSet.name, ctx.target.accountId);
        return (stackSet.regions ?? config.governedRegions).map((region) => {
          const i = instances.find((x) => x.account === ctx.target.accountId && x.region === region);
          const ok =
            i !== undefined && i.status === 'CURRENT' && (i.detailedStatus ?? 'SUCCEEDED') === 'SUCCEEDED';
          return {
            region,
            status: ok ? ('PASS' as const) : ('FAIL' as const),
            evidence: i
              ? `${stackSet.name}: ${i.status}/${i.detailedStatus ?? '-'}${i.reason ? ` ${i.reason}` : ''}`
              : `${stackSet.name}: no instance`,
          };
        });
      }),
    );
    return results.flat();
  },
};
