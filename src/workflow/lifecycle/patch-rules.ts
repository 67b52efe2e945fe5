import type { AccountSpec, RequestRecord } from '../../domain/account-request';
import type { Problem } from '../../domain/errors';
import type { FactoryConfig } from '../../config/schema';
import type { Change } from './account-changes';
import { specProblems } from './spec-rules';

type Patch = Change['patch'];
const FIELDS = ['owner', 'costCenter', 'tags', 'budget', 'access'] as const;

/** The fields a patch changes, in a fixed order. */
export const changedFields = (patch: Patch): string[] => FIELDS.filter((f) => patch[f] !== undefined);

/** The account's spec with the patch applied: `tags` and `access` replace the whole set. */
export function patchedSpec(spec: AccountSpec, patch: Patch): AccountSpec {
  return {
    ...spec,
    ...(patch.owner ? { owner: patch.owner } : {}),
    ...(patch.costCenter === undefined ? {} : { costCenter: patch.costCenter }),
    ...(patch.tags ? { tags: patch.tags } : {}),
    ...(patch.budget ? { budget: { ...spec.budget, ...patch.budget } } : {}),
    ...(patch.access ? { access: patch.access } : {}),
  };
}

/**
 * The intake's rules over the changed fields of the patched spec (paths relative to the body),
 * and the owning team, which cannot change. Used at the API and again when a worker plans it.
 */
export function patchProblems(
  record: RequestRecord,
  patch: Patch,
  spec: AccountSpec,
  config: FactoryConfig,
): Problem[] {
  const problems = specProblems(spec, config, changedFields(patch));
  if (patch.owner && patch.owner.team !== record.team) {
    problems.push({
      path: 'owner.team',
      message: `the owning team cannot change (it is ${record.team}); import the account again under the new team instead`,
    });
  }
  return problems;
}

/**
 * Why the change must wait for a platform approval, or undefined: access or budget changes on an
 * account in an OU that requires approval, as a new account there does.
 */
export function approvalNeeded(
  record: RequestRecord,
  patch: Patch,
  config: FactoryConfig,
): string | undefined {
  const ou = config.organizationalUnits.find((o) => o.path === record.spec.organizationalUnit);
  if (!ou?.requiresApproval) return undefined;
  const fields = (['access', 'budget'] as const).filter((f) => patch[f] !== undefined);
  if (fields.length === 0) return undefined;
  return `${fields.join(' and ')} of an account in ${ou.path}, which requires approval`;
}
