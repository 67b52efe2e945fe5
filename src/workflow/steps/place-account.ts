import { accountIdOf, done, type Step } from '../step';
import { accountTags } from './create-account';
import { sideBySide } from '../side-by-side';

/**
 * Guardrails first: quarantine the account (deny all but the factory), then move it into its OU
 * so the OU's SCPs apply; tagging and finding where it is now go alongside the quarantine. Each
 * call is idempotent, so a repeat after a crash is harmless.
 */
export const placeAccount: Step = async ({ deps, record, checkpoint }) => {
  const accountId = accountIdOf(record);
  const orgs = deps.aws.organizations;
  const quarantine = deps.config.config.organization.quarantinePolicy;
  const quarantined = async () => {
    if (!quarantine) return;
    const policyId = await deps.directory.policyId(quarantine);
    await orgs.attachPolicy(policyId, accountId);
    record.handles.quarantinePolicyId = policyId;
    await checkpoint();
  };
  const [, , target, parent] = await sideBySide([
    quarantined(),
    orgs.tagResource(accountId, accountTags(record)),
    deps.directory.ouId(record.spec.organizationalUnit),
    orgs.getParentId(accountId),
  ]);
  if (parent !== target) await orgs.moveAccount(accountId, parent, target);
  return done(
    `in ${record.spec.organizationalUnit} (${target})${quarantine ? `, quarantined by ${quarantine}` : ''}, tagged`,
  );
};
