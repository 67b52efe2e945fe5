import { accountIdOf, done, type Step } from '../step';

/** Lifts the quarantine SCP once the account has verified clean. Detaching twice is harmless. */
export const releaseQuarantine: Step = async ({ deps, record }) => {
  const policyId = record.handles.quarantinePolicyId;
  if (!policyId) return done('no quarantine to lift');
  await deps.aws.organizations.detachPolicy(policyId, accountIdOf(record));
  return done(`quarantine ${policyId} detached`);
};
