import { z } from 'zod';
import { AccountRequestBodySchema, type AccountSpec } from '../../domain/account-request';
import type { Principal } from '../../domain/principal';
import { IdentityCenterCatalog } from '../intake/access-catalog';
import { identityCenterProblems } from '../intake/access-preflight';
import { scheduleJob } from '../engine/jobs';
import { CHANGE_JOB, ChangeSchema, newChangeId, type Change } from './account-changes';
import type { LifecycleDeps } from './deps';
import { loadAccountFor, type ManagedAccount } from './managed-account';
import { approvalNeeded, patchedSpec, patchProblems } from './patch-rules';
import { assertNoProblems, parseInput } from './spec-rules';

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

/**
 * Every problem of the patch against the account as it is (400, nothing written); new `access` is
 * checked against IAM Identity Center too.
 */
async function validate(
  record: ManagedAccount,
  patch: AccountPatch,
  deps: LifecycleDeps,
): Promise<AccountSpec> {
  const spec = patchedSpec(record.spec, patch);
  const config = deps.config.config;
  const problems = patchProblems(record, patch, spec, config);
  if (patch.access) {
    const catalog = deps.accessCatalog ?? new IdentityCenterCatalog(deps.aws.identityCenter, deps.clock);
    problems.push(...(await identityCenterProblems(catalog, spec, config, problems)));
  }
  assertNoProblems(problems);
  return spec;
}

/**
 * Asks for a change of an account's owner, cost centre, tags, budget or access. Validated like a
 * request (every problem at once, nothing written on bad input), then stored as a change the
 * workers apply (change-kind.ts): AWS first, the inventory last, one change of an account at a
 * time. Access or budget changes in an OU that requires approval wait for a platform approval.
 * Platform, or a requester for its own team's accounts.
 *
 * @throws ValidationError (400, also for a group or permission set missing in Identity Center);
 *   ForbiddenError (403); NotFoundError (404); ConflictError (409);
 *   IdentityCenterUnavailableError (503)
 */
export async function patchAccount(
  deps: LifecycleDeps,
  principal: Principal,
  accountId: string,
  input: unknown,
): Promise<Change> {
  const record = await loadAccountFor(deps.store, principal, accountId, {
    roles: ['platform', 'requester'],
    describe: 'change accounts',
  });
  const patch = parseInput(AccountPatchSchema, input);
  await validate(record, patch, deps);
  const now = deps.clock.now();
  const approvalReason = approvalNeeded(record, patch, deps.config.config);
  const change: Change = ChangeSchema.parse({
    id: newChangeId(accountId, now),
    accountId,
    requestId: record.id,
    team: record.team,
    patch,
    requestedBy: principal.name,
    requestedAt: now.toISOString(),
    stage: approvalReason ? 'PENDING_APPROVAL' : 'QUEUED',
    ...(approvalReason ? { approvalReason } : {}),
    events: [{ at: now.toISOString(), type: 'REQUESTED', by: principal.name }],
  });
  await scheduleJob(deps, CHANGE_JOB, change.id, change, {
    group: accountId,
    paused: approvalReason !== undefined,
    detail: approvalReason ? `waiting for a platform approval: ${approvalReason}` : 'queued',
  });
  return change;
}
