import { accountIdOf, done, type Step } from '../step';
import { accountTags } from './create-account';

/**
 * Guardrails first: quarantine the account (deny all but the factory), tag it, then move it into
 * its OU so the OU's SCPs apply. Each call is idempotent, so a repeat after a crash is harmless.
 */
export const placeAccount: Step = async ({ deps, record, checkpoint }) => {
  const accountId = accountIdOf(record);
  const orgs = deps.aws.organizations;
  const quarantine = deps.config.config.organization.quarantinePolicy;
  if (quarantine) {
    const policyId = await deps.directory.policyId(quarantine);
    await orgs.attachPolicy(policyId, accountId);
    record.handles.quarantinePolicyId = policyId;
    await checkpoint();
  }
  await orgs.tagResource(accountId, accountTags(record));
  const target = await deps.directory.ouId(record.spec.organizationalUnit);
  const parent = await orgs.getParentId(accountId);
  if (parent !== target) await orgs.moveAccount(accountId, parent, target);
  return done(
    `in ${record.spec.organizationalUnit} (${target})${quarantine ? `, quarantined by ${quarantine}` : ''}, tagged`,
  );
};
