import { AvfError } from '../../domain/errors';
import { accountIdOf, done, wait, type Step } from '../step';

/**
 * A new account is usable once the factory can assume its access role; right after creation AWS
 * may still refuse (role propagation). Refusals are retried until the phase deadline. The role
 * is assumed as the member-account session the hardening and verification then use (named after
 * the request, as the account's CloudTrail shows it), so the account costs one AssumeRole, not one
 * here and another for its settings.
 */
export const awaitAccess: Step = async ({ deps, record }) => {
  const accountId = accountIdOf(record);
  const role = deps.config.config.organization.accessRoleName;
  try {
    await deps.aws.memberAccount(accountId, deps.config.config.homeRegion, record.id);
  } catch (e) {
    if (e instanceof AvfError && (e.retryable || e.code === 'AWS_AccessDenied')) {
      return wait(`cannot assume ${role} in ${accountId} yet: ${e.message}`);
    }
    throw e;
  }
  return done(`assumed ${role} in ${accountId}`);
};
