import { AvfError } from '../../domain/errors';
import { accountIdOf, done, wait, type Step } from '../step';

/**
 * A new account is usable once the factory can assume its access role; right after creation AWS
 * may still refuse (role propagation). Refusals are retried until the phase deadline.
 */
export const awaitAccess: Step = async ({ deps, record }) => {
  const accountId = accountIdOf(record);
  const role = deps.config.config.organization.accessRoleName;
  try {
    await deps.aws.sts.assumeAccountRole(accountId, role, `avf-${record.id}`);
  } catch (e) {
    if (e instanceof AvfError && (e.retryable || e.code === 'AWS_AccessDenied')) {
      return wait(`cannot assume ${role} in ${accountId} yet: ${e.message}`);
    }
    throw e;
  }
  return done(`assumed ${role} in ${accountId}`);
};
