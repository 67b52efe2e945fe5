import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CloseBodySchema,
  ImportBodySchema,
  MoveBodySchema,
  cancelAccountClosure,
  closeAccount,
  importAccount,
  moveAccount,
  type LifecycleDeps,
} from '../../src/workflow/lifecycle';
import { getAccountVerification } from '../../src/workflow/drift/verification-jobs';
import { verifyAccountNow } from '../../src/workflow/drift/verify-now';
import { AccountViewSchema, toAccountView } from '../account-views';
import { principalOf } from '../auth';
import {
  ACCOUNT_ERRORS as errors,
  ACCOUNT_TAGS as TAGS,
  ACCOUNTS_PREFIX as PREFIX,
  AccountIdSchema as accountId,
  AccountParams as Params,
} from './account-params';
import type { ApiDeps } from '../deps';
import { locateProblemsIn } from '../errors';
import { AccountVerificationViewSchema, toVerificationView } from '../verification-views';
import { RequestViewSchema, toRequestView } from '../views';

const VerificationParams = z
  .object({ accountId, verificationId: z.string().regex(/^vf-[0-9a-zA-Z-]{1,80}$/) })
  .strict();

/**
 * The account after its vend: verify now, move, close (and cancel), import (changes: account-changes.ts). Each acts on
 * AWS through the workflow's lifecycle actions and is audited with the account as its target.
 */
export function accountLifecycleRoutes(_deps: ApiDeps, lifecycle: LifecycleDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.post(
      `${PREFIX}/:accountId/verify`,
      {
        config: { audit: 'account.verify' },
        schema: {
          summary: 'Verify an account now (platform)',
          description:
            '202 with the verification, QUEUED, and its Location; the worker verifies every control, read-only. Where the config sets `drift.remediate`, the account settings of FAILed controls are re-applied and the account verified again. Stored as the last verification (GET …/compliance); the verification ends SUCCEEDED with a summary or FAILED with the reason. While a verification of the account waits or runs, a second POST answers 200 with that one.',
          tags: TAGS,
          params: Params,
          response: { 200: AccountVerificationViewSchema, 202: AccountVerificationViewSchema, ...errors },
        },
      },
      async (request, reply) => {
        request.auditTarget = request.params.accountId;
        const { verification, started } = await verifyAccountNow(
          lifecycle,
          principalOf(request),
          request.params.accountId,
        );
        return reply
          .status(started ? 202 : 200)
          .header('location', `${PREFIX}/${verification.accountId}/verifications/${verification.id}`)
          .send(toVerificationView(verification));
      },
    );

    app.get(
      `${PREFIX}/:accountId/verifications/:verificationId`,
      {
        schema: {
          summary: 'A verification asked for with POST …/verify: its status and summary',
          tags: TAGS,
          params: VerificationParams,
          response: { 200: AccountVerificationViewSchema, ...errors },
        },
      },
      async (request) => {
        const { accountId, verificationId } = request.params;
        return toVerificationView(
          await getAccountVerification(lifecycle, principalOf(request), accountId, verificationId),
        );
      },
    );

    app.post(
      `${PREFIX}/:accountId/move`,
      {
        config: { audit: 'account.move' },
        schema: {
          summary: 'Move an account to another OU (platform)',
          description:
            "202: the worker moves the account (the OU's guardrails, its SCPs, apply from then), then the baseline follows (its StackSet instances created under the new OU, deleted under the old one, then the account verified); `baselineRedeploy` shows how far it got (stage MOVE until the account is in its new OU). 200: the account is in that OU already, nothing to do. Moving to the same OU again restarts a FAILED redeploy. Only OUs the account's team may use; 409 while a redeploy of the account or a running rollout holding it is not finished.",
          tags: TAGS,
          params: Params,
          body: MoveBodySchema,
          response: { 200: AccountViewSchema, 202: AccountViewSchema, ...errors },
        },
      },
      async (request, reply) => {
        request.auditTarget = request.params.accountId;
        const { account, redeploy, started } = await moveAccount(
          lifecycle,
          principalOf(request),
          request.params.accountId,
          request.body,
        ).catch(locateProblemsIn('body'));
        return reply.status(started ? 202 : 200).send(toAccountView(account, redeploy));
      },
    );

    app.post(
      `${PREFIX}/:accountId/close`,
      {
        config: { audit: 'account.close' },
        schema: {
          summary: 'Close an account, after an optional grace period (platform)',
          description:
            'After `graceDays` (at once when 0 or absent) the worker revokes its Identity Center access, deletes its budget, moves it to the Suspended OU and closes it in AWS, at most 3 closures in progress at once. Cancellable until the decommission starts.',
          tags: TAGS,
          params: Params,
          body: CloseBodySchema.nullish(),
          response: { 202: AccountViewSchema, ...errors },
        },
      },
      async (request, reply) => {
        request.auditTarget = request.params.accountId;
        const account = await closeAccount(
          lifecycle,
          principalOf(request),
          request.params.accountId,
          request.body ?? {},
        ).catch(locateProblemsIn('body'));
        return reply.status(202).send(toAccountView(account));
      },
    );

    const cancel = {
      config: { audit: 'account.close.cancel' },
      schema: {
        summary: 'Cancel a scheduled closure before its decommission starts (platform)',
        tags: TAGS,
        params: Params,
        response: { 200: AccountViewSchema, ...errors },
      },
    };
    const cancelHandler = async (
      request: { params: { accountId: string } } & Parameters<typeof principalOf>[0],
    ) => {
      request.auditTarget = request.params.accountId;
      return toAccountView(
        await cancelAccountClosure(lifecycle, principalOf(request), request.params.accountId),
      );
    };
    app.post(`${PREFIX}/:accountId/close/cancel`, cancel, cancelHandler);
    app.delete(`${PREFIX}/:accountId/close`, cancel, cancelHandler);

    app.post(
      `${PREFIX}/import`,
      {
        config: { audit: 'account.import' },
        schema: {
          summary: 'Bring an existing member account under the factory (platform)',
          description:
            'Creates a request that starts after create-account: the account is quarantined, tagged and moved to its OU, hardened, baselined, granted access, budgeted and verified like a vended one. 409 when the factory manages it already.',
          tags: TAGS,
          body: ImportBodySchema.meta({ id: 'AccountImport' }),
          response: { 202: RequestViewSchema, ...errors },
        },
      },
      async (request, reply) => {
        request.auditTarget = request.body.accountId;
        const record = await importAccount(lifecycle, principalOf(request), request.body).catch(
          locateProblemsIn('body'),
        );
        return reply
          .status(202)
          .header('location', `/v1/account-requests/${record.id}`)
          .send(toRequestView(record));
      },
    );
    return Promise.resolve();
  };
}
