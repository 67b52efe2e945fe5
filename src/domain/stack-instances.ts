import type { StackInstanceSummary } from './ports/aws';

type Instance = Pick<StackInstanceSummary, 'status' | 'detailedStatus' | 'reason'>;

/** What a successful operation leaves: the instance CURRENT and its last operation SUCCEEDED. */
export function instanceHealthy(instance: Instance): boolean {
  return instance.status === 'CURRENT' && (instance.detailedStatus ?? 'SUCCEEDED') === 'SUCCEEDED';
}

/** The instance as a person reads it: `STATUS/DETAILED reason`. */
export function describeInstance(instance: Instance): string {
  return `${instance.status}/${instance.detailedStatus ?? '-'}${instance.reason ? ` ${instance.reason}` : ''}`;
}

/**
 * Per region of `regions`: why the account has no healthy instance there (`region: …`); none when
 * every region has one. The one judgement of stack instances the vend, rollouts, redeploys and
 * the S-1 control share.
 */
export function instanceProblems(
  instances: ReadonlyArray<Instance & Pick<StackInstanceSummary, 'account' | 'region'>>,
  accountId: string,
  regions: readonly string[],
): string[] {
  return regions.flatMap((region) => {
    const instance = instances.find((i) => i.account === accountId && i.region === region);
    if (!instance) return [`${region}: no stack instance`];
    return instanceHealthy(instance) ? [] : [`${region}: ${describeInstance(instance)}`];
  });
}
