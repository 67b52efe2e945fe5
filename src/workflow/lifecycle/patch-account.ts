import { z } from 'zod';
import { AccountRequestBodySchema, type AccountSpec } from '../../domain/account-request';
import type { Principal } from '../../domain/principal';
import { IdentityCenterCatalog } from '../intake/access-catalog';
import { identityCenterProblems } from '../intake/access-preflight';
import { accountTags } from '../steps/create-account';
import { budgetSpecOf } from '../steps/budget';
import { changeAccess } from './assignments';
import type { LifecycleDeps } from './deps';
import { loadAccountFor, type ManagedAccount } from './managed-account';
import { assertNoProblems, parseInput, specProblems } from './spec-rules';

const body = AccountRequestBodySchema.shape;

/**
 * PATCH /v1/accounts/{accountId}: the fields a team may change after the vend, each with the
 * intake's shape. `tags` and `access` replace the whole set (a key or grant left out is removed).
 */
export const AccountPatchSchema = z
  .object({
    owner: body.owner.optional(),
    costCenter: body.costCenter.optional(),
    tags: body.tags.unwrap().optional(),
    budget: body.budget,
    access: body.access,
  })
  .strict()
  .refine((patch) => Object.values(patch).some((v) => v !== undefined), {
    message: 'send at least one of owner, costCenter, tags, budget, access',
  });
export type AccountPatch = z.infer<typeof AccountPatchSchema>;

const FIELDS = ['owner', 'costCenter', 'tags', 'budget', 'access'] as const;

function patched(spec: AccountSpec, patch: AccountPatch): AccountSpec {
  return {
    ...spec,
    ...(patch.owner ? { owner: patch.owner } : {}),
    ...(patch.costCenter === undefined ? {} : { costCenter: patch.costCenter }),
    ...(patch.tags ? { tags: patch.tags } : {}),
    ...(patch.budget ? { budget: { ...spec.budget, ...patch.budget } } : {}),
    ...(patch.access ? { access: patch.access } : {}),
  };
}

async function validate(
  record: ManagedAccount,
  patch: AccountPatch,
  deps: LifecycleDeps,
): Promise<AccountSpec> {
  const spec = patched(record.spec, patch);
  const changed = FIELDS.filter((f) => patch[f] !== undefined);
  const problems = specProblems(spec, deps.config.config, changed);
  if (patch.owner && patch.owner.team !== record.team) {
    problems.push({
      path: 'owner.team',
      message: `the owning team cannot change (it is ${record.team}); import the account again under the new team instead`,
    });
  }
  if (patch.access) {
    const catalog = deps.accessCatalog ?? new IdentityCenterCatalog(deps.aws.identityCenter, deps.clock);
    const config = deps.config.config;
    problems.push(...(await identityCenterProblems(catalog, spec, config, problems)));
  }
  assertNoProblems(problems);
  return spec;
}

/** Organizations tags: what the new spec adds or changes, and the keys it drops. */
async function applyTags(deps: LifecycleDeps, record: ManagedAccount, spec: AccountSpec): Promise<void> {
  const before = accountTags(record);
  const after = accountTags({ ...record, spec });
  const dropped = Object.keys(before).filter((k) => !(k in after));
  const orgs = deps.aws.organizations;
  await orgs.untagResource(record.accountId, dropped);
  if (Object.entries(after).some(([k, v]) => before[k] !== v))
    await orgs.tagResource(record.accountId, after);
}

/**
 * Changes an account's owner, cost centre, tags, budget or access, in AWS first (tags on the
 * account, the budget's limit and alerts, Identity Center assignments), then in the inventory.
 * Validated like a request (every problem at once, nothing written on bad input). Platform, or a
 * requester for its own team's accounts; every AWS change is idempotent, so a repeat after a
 * failure finishes the job.
 *
 * @throws ValidationError (400, also for a group or permission set missing in Identity Center);
 *   ForbiddenError (403); NotFoundError (404); ConflictError or StaleRecordError (409);
 *   IdentityCenterUnavailableError (503)
 */
export async function patchAccount(
  deps: LifecycleDeps,
  principal: Principal,
  accountId: string,
  input: unknown,
): Promise<ManagedAccount> {
  const record = await loadAccountFor(deps.store, principal, accountId, {
    roles: ['platform', 'requester'],
    describe: 'change accounts',
  });
  const patch = parseInput(AccountPatchSchema, input);
  const spec = await validate(record, patch, deps);

  await applyTags(deps, record, spec);
  const budgetChanged =
    patch.budget !== undefined ||
    (patch.owner !== undefined && patch.owner.email !== record.spec.owner.email);
  if (budgetChanged) {
    const payer = await deps.directory.payerAccountId();
    await deps.aws.budgets.updateBudget(payer, budgetSpecOf(accountId, spec, deps.config.config));
  }
  if (patch.access) await changeAccess(deps, accountId, record.spec.access, spec.access);

  const saved = await deps.store.save({
    ...record,
    spec,
    handles: {
      ...record.handles,
      assignments: spec.access.map((a) => ({ ...a, status: 'SUCCEEDED' as const })),
    },
    updatedAt: deps.clock.now().toISOString(),
  });
  return { ...saved, accountId };
}
