import { randomUUID } from 'node:crypto';
import {
  AccountRequestBodySchema,
  initialSteps,
  normaliseEmail,
  type AccountSpec,
  type RequestRecord,
} from '../../domain/account-request';
import { ConflictError, ValidationError } from '../../domain/errors';
import { zodProblems } from '../../domain/zod-problems';
import type { FactoryConfig } from '../../config/schema';
import type { IntakeDeps } from './deps';
import type { Principal } from './principal';
import { assertMayRequest, requestMeaningProblems, type RequestShape } from './validate-request';

/** `req-` and 16 hex digits (64 random bits): short enough to type, long enough never to collide. */
export function newRequestId(): string {
  return `req-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** The request with the config's defaults for budget and access filled in. */
function specOf(body: RequestShape, config: FactoryConfig): AccountSpec {
  const team = config.teams.find((t) => t.name === body.owner.team);
  return {
    accountName: body.accountName,
    email: body.email,
    organizationalUnit: body.organizationalUnit,
    owner: body.owner,
    costCenter: body.costCenter,
    budget: body.budget ?? {
      monthlyLimitUsd: config.budgets.defaultMonthlyLimitUsd,
      thresholdsPercent: config.budgets.defaultThresholdsPercent,
    },
    access: body.access ?? team?.defaultAccess ?? [],
    tags: body.tags,
  };
}

async function assertEmailUnused(deps: IntakeDeps, email: string): Promise<void> {
  const normalised = normaliseEmail(email);
  const existing = await deps.store.findByEmail(normalised);
  if (existing)
    throw new ConflictError('EMAIL_IN_USE', `email ${email} is already used by request ${existing.id}`);
  const account = await deps.accountDirectory?.findAccountByEmail(normalised);
  if (account !== undefined) {
    throw new ConflictError(
      'EMAIL_IN_USE',
      `email ${email} is already used by an account in the organisation`,
    );
  }
}

/**
 * Validates a request (shape, then permission, then meaning against the config, then email
 * uniqueness in the store and the organisation) and stores it for the reconciler. Writes nothing
 * unless every check passes.
 *
 * @throws ValidationError (400) listing every problem; ForbiddenError (403); ConflictError
 *   `EMAIL_IN_USE` (409)
 */
export async function submitAccountRequest(
  deps: IntakeDeps,
  principal: Principal,
  body: unknown,
): Promise<RequestRecord> {
  const parsed = AccountRequestBodySchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(zodProblems(parsed.error));
  const request = parsed.data;
  const config = deps.config.config;

  assertMayRequest(principal, request, config);
  const problems = requestMeaningProblems(request, config);
  if (problems.length > 0) throw new ValidationError(problems);
  await assertEmailUnused(deps, request.email);

  const now = deps.clock.now().toISOString();
  const ou = config.organizationalUnits.find((o) => o.path === request.organizationalUnit);
  return deps.store.create({
    schemaVersion: 1,
    id: newRequestId(),
    version: 1,
    status: ou?.requiresApproval ? 'PENDING_APPROVAL' : 'QUEUED',
    phase: 'create-account',
    team: request.owner.team,
    spec: specOf(request, config),
    handles: {},
    attempts: 0,
    nextCheckAt: now,
    createdAt: now,
    updatedAt: now,
    createdBy: principal.name,
    steps: initialSteps(),
  });
}
