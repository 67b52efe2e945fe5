import { randomUUID } from 'node:crypto';
import {
  AccountRequestBodySchema,
  initialSteps,
  normaliseEmail,
  type AccountSpec,
  type RequestRecord,
} from '../../domain/account-request';
import { AvfError, ConflictError, ValidationError } from '../../domain/errors';
import { zodProblems } from '../../domain/zod-problems';
import type { FactoryConfig } from '../../config/schema';
import type { IdempotencyKey, IdempotencyStore, RequestStore } from '../../domain/ports/request-store';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { IdempotentIntakeDeps, IntakeDeps } from './deps';
import { idempotencyClaim, IdempotencyKeyReusedError } from './idempotency';
import { canSeeTeam, type Principal } from '../../domain/principal';
import { createRequest } from '../request-writes';
import { assertMayRequest, requestMeaningProblems, type RequestShape } from './validate-request';
import { capsNeedingApproval } from './limit-rules';
import { identityCenterProblems } from './access-preflight';
import { indexedEmail } from '../org-index/account-email-index';

/** `req-` and 16 hex digits (64 random bits): short enough to type, long enough never to collide. */
export function newRequestId(): string {
  return `req-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

/** The request with the config's defaults for budget and access filled in. */
export function specOf(body: RequestShape, config: FactoryConfig): AccountSpec {
  const team = config.teams.find((t) => t.name === body.owner.team);
  return {
    accountName: body.accountName,
    email: body.email,
    organizationalUnit: body.organizationalUnit,
    owner: body.owner,
    costCenter: body.costCenter,
    budget: {
      monthlyLimitUsd: body.budget?.monthlyLimitUsd ?? config.budgets.defaultMonthlyLimitUsd,
      thresholdsPercent: body.budget?.thresholdsPercent ?? config.budgets.defaultThresholdsPercent,
    },
    access: body.access ?? team?.defaultAccess ?? [],
    tags: body.tags,
  };
}

/**
 * Whether an account of the organisation uses the email: the organisation account index (one
 * document read) once a refresh has built it, else AWS itself (a walk of ListAccounts). An account
 * made outside the factory since the index's last refresh is refused by CreateAccount instead.
 */
async function usedInOrganisation(deps: IntakeDeps, email: string): Promise<boolean> {
  const indexed = await indexedEmail(deps.store, email);
  if (indexed !== 'not-built') return indexed === 'used';
  return (await deps.accountDirectory?.findAccountByEmail(email)) !== undefined;
}

/** Refuses a used email; the request holding it is named only to a caller who may see it. */
async function assertEmailUnused(deps: IntakeDeps, email: string, principal: Principal): Promise<void> {
  const normalised = normaliseEmail(email);
  const existing = await deps.store.findByEmail(normalised);
  if (existing) {
    const holder = canSeeTeam(principal, existing.team) ? `request ${existing.id}` : 'another request';
    throw new ConflictError('EMAIL_IN_USE', `email ${email} is already used by ${holder}`);
  }
  if (await usedInOrganisation(deps, normalised)) {
    throw new ConflictError(
      'EMAIL_IN_USE',
      `email ${email} is already used by an account in the organisation`,
    );
  }
}

/** The body's shape, then whether the principal may make this request at all. */
function parseAllowedRequest(deps: IntakeDeps, principal: Principal, body: unknown): RequestShape {
  const parsed = AccountRequestBodySchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(zodProblems(parsed.error));
  assertMayRequest(principal, parsed.data, deps.config.config);
  return parsed.data;
}

/**
 * The request's meaning against the config and, for the grants the config allows, Identity
 * Center's groups and permission sets (every problem at once), then its email's uniqueness.
 */
async function assertMeaningful(
  deps: IntakeDeps,
  request: RequestShape,
  principal: Principal,
): Promise<void> {
  const config = deps.config.config;
  const problems = requestMeaningProblems(request, config);
  problems.push(...(await identityCenterProblems(deps.accessCatalog, request, config, problems)));
  if (problems.length > 0) throw new ValidationError(problems);
  await assertEmailUnused(deps, request.email, principal);
}

/**
 * Every check a submission makes, in the same order, writing nothing: what the console runs while
 * a form is filled in. Returns the request as it would be accepted (config defaults applied).
 *
 * @throws the errors `submitAccountRequest` throws for the same body
 */
export async function checkAccountRequest(
  deps: IntakeDeps,
  principal: Principal,
  body: unknown,
): Promise<AccountSpec> {
  const request = parseAllowedRequest(deps, principal, body);
  await assertMeaningful(deps, request, principal);
  return specOf(request, deps.config.config);
}

/** What a submission did: `replayed` when an Idempotency-Key returned an earlier request. */
export interface Submission {
  record: RequestRecord;
  replayed: boolean;
}

export interface SubmitOptions {
  /** The Idempotency-Key header: the same key and body return the same request for 24 h. */
  idempotencyKey?: string;
}

/**
 * Validates a request (shape, then permission, then an earlier use of its Idempotency-Key, then
 * meaning against the config and Identity Center, then email uniqueness in the store and the
 * organisation) and stores it for the reconciler. Writes nothing unless every check passes.
 *
 * @throws ValidationError (400) listing every problem; ForbiddenError (403); ConflictError
 *   `EMAIL_IN_USE` (409); IdempotencyKeyReusedError (422); IdentityCenterUnavailableError (503)
 */
export async function submitAccountRequest(
  deps: IntakeDeps,
  principal: Principal,
  body: unknown,
): Promise<RequestRecord> {
  return (await submitIdempotently(deps, principal, body)).record;
}

/** `submitAccountRequest`, also telling whether the Idempotency-Key replayed an earlier request. */
export async function submitIdempotently(
  deps: IntakeDeps | IdempotentIntakeDeps,
  principal: Principal,
  body: unknown,
  options: SubmitOptions = {},
): Promise<Submission> {
  const request = parseAllowedRequest(deps, principal, body);
  const config = deps.config.config;

  const now = deps.clock.now();
  const keyStore = idempotencyStoreOf(deps, options);
  const claim =
    options.idempotencyKey === undefined
      ? undefined
      : idempotencyClaim(principal, options.idempotencyKey, request, now);
  if (claim && keyStore) {
    const earlier = await replayOf(keyStore, claim, now);
    if (earlier) return { record: earlier, replayed: true };
  }

  await assertMeaningful(deps, request, principal);

  const record = newRecord(request, config, principal, now.toISOString(), deps.newRequestId);
  if (!claim || !keyStore) {
    return { record: await createRequest(deps, record, () => deps.store.create(record)), replayed: false };
  }
  const result = await createRequest(deps, record, () =>
    keyStore.createWithIdempotencyKey(record, claim, now),
  );
  if (result.outcome === 'key-reused') throw new IdempotencyKeyReusedError(result.held);
  return { record: result.record, replayed: result.outcome === 'replayed' };
}

/** The request an earlier use of this key created; IdempotencyKeyReusedError for another body. */
async function replayOf(
  store: RequestStore & IdempotencyStore,
  claim: Omit<IdempotencyKey, 'requestId'>,
  now: Date,
): Promise<RequestRecord | undefined> {
  const held = await store.findIdempotencyKey(claim.scope, claim.key, now);
  if (!held) return undefined;
  if (held.bodyHash !== claim.bodyHash) throw new IdempotencyKeyReusedError(held);
  return store.get(held.requestId);
}

/** The store that keeps keys, when a key was sent; a key without one is a programming error. */
function idempotencyStoreOf(
  deps: IntakeDeps | IdempotentIntakeDeps,
  options: SubmitOptions,
): (RequestStore & DocumentStore & IdempotencyStore) | undefined {
  if (options.idempotencyKey === undefined) return undefined;
  if (!('createWithIdempotencyKey' in deps.store)) {
    throw new AvfError('IDEMPOTENCY_UNSUPPORTED', 'this store does not keep Idempotency-Keys');
  }
  return deps.store;
}

/**
 * A new request as stored: version 1, due now, every step PENDING (queued unless its OU needs
 * approval, or its budget is above a cap's approval threshold).
 */
export function newRecord(
  request: RequestShape,
  config: FactoryConfig,
  principal: Principal,
  now: string,
  newId: () => string = newRequestId,
): RequestRecord {
  const ou = config.organizationalUnits.find((o) => o.path === request.organizationalUnit);
  return {
    schemaVersion: 1,
    id: newId(),
    version: 1,
    status:
      ou?.requiresApproval || capsNeedingApproval(config, request).length > 0 ? 'PENDING_APPROVAL' : 'QUEUED',
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
    ...(request.webhook ? { webhook: request.webhook } : {}),
  };
}
