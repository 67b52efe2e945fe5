import { AwsError } from '../../domain/errors';
import type { OrganizationsPort } from '../../domain/ports/aws';
import { accountIdOf, done, type Step } from '../step';
import { accountTags } from './create-account';
import { sideBySide } from '../side-by-side';

/**
 * Guardrails first: quarantine the account (deny all but the factory), then move it into its OU
 * so the OU's SCPs apply; tagging and finding where it is now go alongside the quarantine. An
 * account this request's own CreateAccount made already carries its tags and starts in the root,
 * so it is neither tagged again nor looked up (Organizations' call rate is the organisation's
 * tightest). Each call is idempotent, so a repeat after a crash is harmless.
 */
export const placeAccount: Step = async ({ deps, record, checkpoint }) => {
  const accountId = accountIdOf(record);
  const orgs = deps.aws.organizations;
  const quarantine = deps.config.config.organization.quarantinePolicy;
  const fresh = record.handles.createdByThisRequest === true;
  const quarantined = async () => {
    if (!quarantine) return;
    const policyId = await deps.directory.policyId(quarantine);
    await orgs.attachPolicy(policyId, accountId);
    record.handles.quarantinePolicyId = policyId;
    await checkpoint();
  };
  const [, , target, parent] = await sideBySide([
    quarantined(),
    fresh ? undefined : orgs.tagResource(accountId, accountTags(record)),
    deps.directory.ouId(record.spec.organizationalUnit),
    fresh ? deps.directory.rootId() : orgs.getParentId(accountId),
  ]);
  // a fresh account's parent is guessed (the root): after our own move it is the target
  const movedAlready = fresh && record.handles.placedIn === target;
  if (parent !== target && !movedAlready) {
    await moveAccount(orgs, accountId, { parent, guessed: fresh }, target);
    // kept at once: a worker that takes the request over (this one's lease lost while the steps
    // beside this one run) does not move it again
    record.handles.placedIn = target;
    await checkpoint();
  }
  return done(
    `in ${record.spec.organizationalUnit} (${target})${quarantine ? `, quarantined by ${quarantine}` : ''}, tagged`,
  );
};

/** Moves the account from where it is thought to be; if it is not there (moved by hand), from where it is. */
async function moveAccount(
  orgs: OrganizationsPort,
  accountId: string,
  from: { parent: string; guessed: boolean },
  to: string,
): Promise<void> {
  try {
    await orgs.moveAccount(accountId, from.parent, to);
  } catch (e) {
    if (!from.guessed || !(e instanceof AwsError && e.awsCode === 'SourceParentNotFoundException')) throw e;
    const parent = await orgs.getParentId(accountId);
    if (parent !== to) await orgs.moveAccount(accountId, parent, to);
  }
}
