import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountPatchSchema,
  approveAccountChange,
  getAccountChange,
  patchAccount,
  rejectAccountChange,
  type LifecycleDeps,
} from '../../src/workflow/lifecycle';
import { principalOf } from '../auth';
import {
  ACCOUNT_ERRORS as errors,
  ACCOUNT_TAGS as TAGS,
  ACCOUNTS_PREFIX as PREFIX,
  AccountIdSchema as accountId,
  AccountParams as Params,
} from './account-params';
import { AccountChangeViewSchema, toChangeView } from '../change-views';
import { ErrorResponseSchema, locateProblemsIn } from '../errors';

const ChangeParams = z.object({ accountId, changeId: z.string().regex(/^ch-[0-9a-zA-Z-]{1,80}$/) }).strict();
const RejectBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
const location = (c: { accountId: string; id: string }) => `${PREFIX}/${c.accountId}/changes/${c.id}`;

/**
 * Changes to an account after its vend (PATCH): stored as a change, answered 202 at once, and
 * applied by the worker; read back, approved or rejected by its id.
 */
export function accountChangeRoutes(lifecycle: LifecycleDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.patch(
      `${PREFIX}/:accountId`,
      {
        config: { audit: 'account.update' },
        schema: {
          summary: "Change an account's owner, cost centre, tags, budget or access",
          description:
            'Validated at once (400 naming every problem, nothing stored; new `access` is checked against IAM Identity Center first: 400 naming each missing group or permission set, 503 when it cannot answer), then 202 with the change and its Location. The worker applies it to AWS (account tags, budget, Identity Center assignments), then to the inventory, one change of an account at a time; a change that fails puts AWS back and ends FAILED with the reason. Access or budget changes on an account in an OU that requires approval wait in PENDING_APPROVAL. `tags` and `access` replace the whole set. Platform, or a requester for its own team.',
          tags: TAGS,
          params: Params,
          body: AccountPatchSchema.meta({ id: 'AccountPatch' }),
          response: { 202: AccountChangeViewSchema, ...errors, 503: ErrorResponseSchema },
        },
      },
      async (request, reply) => {
        request.auditTarget = request.params.accountId;
        const change = await patchAccount(
          lifecycle,
          principalOf(request),
          request.params.accountId,
          request.body,
        ).catch(locateProblemsIn('body'));
        return reply.status(202).header('location', location(change)).send(toChangeView(change));
      },
    );

    app.get(
      `${PREFIX}/:accountId/changes/:changeId`,
      {
        schema: {
          summary: 'A change of an account: its status, approval and history',
          tags: TAGS,
          params: ChangeParams,
          response: { 200: AccountChangeViewSchema, ...errors },
        },
      },
      async (request) => {
        const { accountId: id, changeId } = request.params;
        return toChangeView(await getAccountChange(lifecycle, principalOf(request), id, changeId));
      },
    );

    app.post(
      `${PREFIX}/:accountId/changes/:changeId/approve`,
      {
        config: { audit: 'account.change.approve' },
        schema: {
          summary: 'Approve a PENDING_APPROVAL change (platform only)',
          tags: TAGS,
          params: ChangeParams,
          response: { 202: AccountChangeViewSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { accountId: id, changeId } = request.params;
        request.auditTarget = id;
        const change = await approveAccountChange(lifecycle, principalOf(request), id, changeId);
        return reply.status(202).send(toChangeView(change));
      },
    );

    app.post(
      `${PREFIX}/:accountId/changes/:changeId/reject`,
      {
        config: { audit: 'account.change.reject' },
        schema: {
          summary: 'Reject a PENDING_APPROVAL change, with a reason (platform only)',
          description: 'The change ends REJECTED with the reason and who rejected it; nothing was applied.',
          tags: TAGS,
          params: ChangeParams,
          body: RejectBody,
          response: { 202: AccountChangeViewSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { accountId: id, changeId } = request.params;
        request.auditTarget = id;
        const change = await rejectAccountChange(
          lifecycle,
          principalOf(request),
          id,
          changeId,
          request.body.reason,
        );
        return reply.status(202).send(toChangeView(change));
      },
    );
    return Promise.resolve();
  };
}
