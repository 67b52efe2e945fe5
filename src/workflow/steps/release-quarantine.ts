import { registerCurrentBaseline } from '../rollout/baseline-registry';
import { accountIdOf, done, type Step } from '../step';

/**
 * Lifts the quarantine SCP once the account has verified clean. Detaching twice is harmless.
 * The last phase: the account now holds the config's baseline version.
 */
export const releaseQuarantine: Step = async ({ deps, record, now }) => {
  const policyId = record.handles.quarantinePolicyId;
  if (policyId) await deps.aws.organizations.detachPolicy(policyId, accountIdOf(record));
  const { version } = await registerCurrentBaseline(deps.store, deps.config, () => deps.clock.now());
  record.baseline = { version, appliedAt: now.toISOString() };
  return done(policyId ? `quarantine ${policyId} detached` : 'no quarantine to lift');
};
