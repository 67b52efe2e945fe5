import { describeInstance, instanceHealthy } from '../../domain/stack-instances';
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
          return {
            region,
            status: i !== undefined && instanceHealthy(i) ? ('PASS' as const) : ('FAIL' as const),
            evidence: i ? `${stackSet.name}: ${describeInstance(i)}` : `${stackSet.name}: no instance`,
          };
        });
      }),
    );
    return results.flat();
  },
};
