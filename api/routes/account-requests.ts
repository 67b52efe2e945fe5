import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountRequestBodySchema,
  AccountSpecSchema,
  REQUEST_STATUSES,
} from '../../src/domain/account-request';
import {
  approveAccountRequest,
  cancelAccountRequest,
  checkAccountRequest,
  getAccountRequest,
  rejectAccountRequest,
  listAccountRequests,
  retryAccountRequest,
  submitIdempotently,
} from '../../src/workflow/intake';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ErrorResponseSchema, inPart, locateProblemsIn } from '../errors';
import { ConflictError, ValidationError, type Problem } from '../../src/domain/errors';
import { RequestViewBodies } from '../request-view-bodies';
import { sendSerialised, serialiseFor } from '../response-serializer';
import { RequestPageSchema, RequestViewSchema, toRequestView } from '../views';
import { hasTargets } from '../../src/workflow/notify/outbox';
import { deliveryState } from '../../src/workflow/notify/delivery-state';
import { redeliverEvents } from '../../src/workflow/notify/redeliver';
import type { RequestRecord } from '../../src/domain/account-request';

const PREFIX = '/v1/account-requests';
const TAGS = ['account requests'];

/** The optional Idempotency-Key header; other headers pass through untouched. */
const SubmitHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'an Idempotency-Key: 1-255 visible ASCII characters, e.g. a UUID')
    .optional(),
});

const IdParams = z.object({ id: z.string().min(1).max(64) }).strict();

const ListQuery = z
  .object({
    status: z.enum(REQUEST_STATUSES).optional(),
    team: z.string().min(1).max(63).optional(),
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/** The failures every authenticated route can answer, for the OpenAPI document. */
const readErrors = {
  400: ErrorResponseSchema,
  401: ErrorResponseSchema,
  403: ErrorResponseSchema,
  404: ErrorResponseSchema,
};
const writeErrors = { ...readErrors, 409: ErrorResponseSchema, 429: ErrorResponseSchema };

const CheckView = z.object({
  valid: z.boolean(),
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
  request: AccountSpecSchema.optional(),
});

/** What a refused submission would name, by field; undefined for refusals that are not about the body. */
function problemsOf(error: unknown): Problem[] | undefined {
  if (error instanceof ValidationError)
    return error.problems.map((p) => ({ ...p, path: inPart('body', p.path) }));
  if (error instanceof ConflictError && error.code === 'EMAIL_IN_USE')
    return [{ path: 'body.email', message: error.message }];
  return undefined;
}

/** State changes on one request; each answers 202 with the request as it now stands. */
const ACTIONS = [
  { name: 'retry', summary: 'Resume a FAILED request at the phase that failed', run: retryAccountRequest },
  {
    name: 'approve',
    summary: 'Approve a PENDING_APPROVAL request (platform only)',
    run: approveAccountRequest,
  },
  {
    name: 'redeliver',
    summary: 'Deliver again the events given up on (webhook or EventBridge), once the endpoint is mended',
    run: redeliverEvents,
  },
] as const;

const RejectBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
const CancelBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .prefault({});

/** The single-request view: with its events and, when they go anywhere, how their deliveries fared. */
async function fullView(deps: ApiDeps, record: RequestRecord) {
  const deliveries = hasTargets(deps.config, record) ? await deliveryState(deps, record.id) : undefined;
  return toRequestView(record, { ...(deliveries ? { deliveries } : {}) });
}

export function accountRequestRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return (app) => {
    const views = new RequestViewBodies(deps.store);
    app.addHook('onClose', (_instance, done) => {
      views.close();
      done();
    });
    app.post(
      PREFIX,
      {
        config: { audit: 'account-request.submit' },
        schema: {
          summary: 'Request a new account',
          description:
            'Validated against the config, and the groups and permission sets it grants against IAM Identity Center (400 naming each missing one; 503 when Identity Center cannot answer, nothing stored); 202 with the queued request (PENDING_APPROVAL when the OU requires approval) and its Location. With an Idempotency-Key, the same key and body return the same request for 24 h; the same key with another body is 422.',
          tags: TAGS,
          headers: SubmitHeaders,
          body: AccountRequestBodySchema.meta({ id: 'AccountRequestBody' }),
          response: {
            202: RequestViewSchema,
            ...writeErrors,
            422: ErrorResponseSchema,
            503: ErrorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const idempotencyKey = request.headers['idempotency-key'];
        const { record, replayed } = await submitIdempotently(
          deps,
          principalOf(request),
          request.body,
          idempotencyKey === undefined ? {} : { idempotencyKey },
        ).catch(locateProblemsIn('body'));
        request.auditTarget = record.id;
        if (replayed) {
          request.auditDetail = 'replayed';
          void reply.header('idempotent-replayed', 'true');
        }
        return reply.status(202).header('location', `${PREFIX}/${record.id}`).send(toRequestView(record));
      },
    );

    app.post(
      `${PREFIX}/check`,
      {
        // The body's own problems are part of the answer, not a 400: the handler checks it in full.
        attachValidation: true,
        schema: {
          summary: 'Check a request without submitting it',
          description:
            "Runs every check `POST /v1/account-requests` runs (shape, permission, the config's rules, the groups and permission sets in IAM Identity Center, email in use) and stores nothing. 200 either way: `valid` with the request as it would be accepted, or every problem the submission would be refused for, by field. The console checks its form with it.",
          tags: TAGS,
          body: AccountRequestBodySchema,
          response: { 200: CheckView, ...readErrors, 503: ErrorResponseSchema },
        },
      },
      async (request) => {
        try {
          const spec = await checkAccountRequest(deps, principalOf(request), request.body);
          return { valid: true, problems: [], request: spec };
        } catch (err) {
          const problems = problemsOf(err);
          if (!problems) throw err;
          return { valid: false, problems };
        }
      },
    );

    app.get(
      PREFIX,
      {
        schema: {
          summary: 'List requests, newest first',
          description: 'A requester lists its own team only.',
          tags: TAGS,
          querystring: ListQuery,
          response: { 200: RequestPageSchema, ...readErrors },
        },
      },
      async (request) => {
        const page = await listAccountRequests(deps.store, principalOf(request), request.query).catch(
          locateProblemsIn('querystring'),
        );
        return {
          items: page.items.map((r) => toRequestView(r)),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        };
      },
    );

    app.get(
      `${PREFIX}/:id`,
      {
        schema: {
          summary: 'A request: status, phase, steps, controls, error',
          tags: TAGS,
          params: IdParams,
          response: { 200: RequestViewSchema, ...readErrors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const remembered = await views.find(principal, request.params.id);
        if (remembered !== undefined) return sendSerialised(reply, remembered);
        const record = await getAccountRequest(deps.store, principal, request.params.id);
        // Deliveries change without the record: a view showing them is remembered with their version.
        const deliveries = hasTargets(deps.config, record)
          ? await views.deliveriesVersion(record.id)
          : undefined;
        const body = serialiseFor(reply, await fullView(deps, record));
        views.remember(record, body, deliveries);
        return sendSerialised(reply, body);
      },
    );

    for (const action of ACTIONS) {
      app.post(
        `${PREFIX}/:id/${action.name}`,
        {
          config: { audit: `account-request.${action.name}` },
          schema: {
            summary: action.summary,
            tags: TAGS,
            params: IdParams,
            response: { 202: RequestViewSchema, ...writeErrors },
          },
        },
        async (request, reply) => {
          const record = await action.run(deps, principalOf(request), request.params.id);
          return reply.status(202).send(await fullView(deps, record));
        },
      );
    }
    app.post(
      `${PREFIX}/:id/reject`,
      {
        config: { audit: 'account-request.reject' },
        schema: {
          summary: 'Reject a PENDING_APPROVAL request, with a reason (platform only)',
          description:
            'The request ends FAILED with error code REJECTED and the reason; it is never retried and nothing was created in AWS.',
          tags: TAGS,
          params: IdParams,
          body: RejectBody,
          response: { 202: RequestViewSchema, ...writeErrors },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const record = await rejectAccountRequest(deps, principalOf(request), id, request.body.reason);
        return reply.status(202).send(await fullView(deps, record));
      },
    );

    app.post(
      `${PREFIX}/:id/cancel`,
      {
        config: { audit: 'account-request.cancel' },
        schema: {
          summary: 'Cancel a request before its account creation starts',
          description:
            "PENDING_APPROVAL, or QUEUED before its CreateAccount: the request ends FAILED with error code CANCELLED. Its team's requester or platform. 409 once the account is being created (close the account once READY instead).",
          tags: TAGS,
          params: IdParams,
          body: CancelBody,
          response: { 202: RequestViewSchema, ...writeErrors },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const record = await cancelAccountRequest(deps, principalOf(request), id, request.body.reason);
        return reply.status(202).send(await fullView(deps, record));
      },
    );
    return Promise.resolve();
  };
}
