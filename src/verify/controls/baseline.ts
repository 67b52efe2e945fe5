import { describeInstance, instanceHealthy } from '../../domain/stack-instances';
import type { StackInstanceSummary } from '../../domain/ports/aws';
import type { Control } from '../verifier';

/**
 * S-1: every configured StackSet has a CURRENT, SUCCEEDED instance in each of its regions. In a
 * vend, the instances of the operation that deployed the account are read first: every account
 * of its batch shares that listing (the organisation read cache keeps it a minute), and it was
 * read after the operation ended, as every verification of its batch starts after that. Where it
 * does not show the account healthy, the account's own instances are read anew and decide.
 */
export const baselineStackSetsControl: Control = {
  id: 'S-1',
  title: 'baseline StackSet instances deployed in every governed region',
  seeds: ['002', '004'],
  enforcedBy: 'StackSet',
  async evaluate(ctx) {
    const { config } = ctx.config;
    const { accountId, stackSetOperations } = ctx.target;
    const results = await Promise.all(
      config.stackSets.map(async (stackSet) => {
        const judge = (instances: StackInstanceSummary[]) =>
          (stackSet.regions ?? config.governedRegions).map((region) => {
            const i = instances.find((x) => x.account === accountId && x.region === region);
            return {
              region,
              status: i !== undefined && instanceHealthy(i) ? ('PASS' as const) : ('FAIL' as const),
              evidence: i ? `${stackSet.name}: ${describeInstance(i)}` : `${stackSet.name}: no instance`,
            };
          });
        const operationId = stackSetOperations?.[stackSet.name];
        if (operationId) {
          const shared = judge(
            await ctx.aws.stackSets.listStackInstancesOfOperation(stackSet.name, operationId),
          );
          if (shared.every((r) => r.status === 'PASS')) return shared;
        }
        return judge(await ctx.aws.stackSets.listStackInstances(stackSet.name, accountId));
      }),
    );
    return results.flat();
  },
};
