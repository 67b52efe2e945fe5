import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError } from '../../src/domain/errors';
import { COMPLIANCE_FILTERS, listAccounts } from '../../src/workflow/inventory/list-accounts';
import { loadVisibleAccount } from '../../src/workflow/inventory/read-accounts';
import { redeploysByAccount } from '../../src/workflow/lifecycle/redeploys';
import { AccountViewSchema, ComplianceViewSchema, toAccountView } from '../account-views';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ErrorResponseSchema } from '../errors';

const PREFIX = '/v1/accounts';
const TAGS = ['accounts'];
const Params = z.object({ accountId: z.string().regex(/^\d{12}$/, 'an AWS account id: 12 digits') }).strict();
const ListQuery = z
  .object({
    ou: z.string().min(1).max(512).optional(),
    team: z.string().min(1).max(63).optional(),
    costCenter: z.string().min(1).max(256).optional(),
    baselineVersion: z.string().min(1).max(64).optional(),
    compliance: z.enum(COMPLIANCE_FILTERS).optional(),
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 404: ErrorResponseSchema };

export function accountRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      PREFIX,
      {
        schema: {
          summary: 'The inventory: vended accounts, filterable, paginated',
          tags: TAGS,
          querystring: ListQuery,
          response: {
            200: z.object({ items: z.array(AccountViewSchema), nextCursor: z.string().optional() }),
            ...errors,
          },
        },
      },
      async (request) => {
        const page = await listAccounts(deps.store, principalOf(request), request.query);
        const redeploys = await redeploysByAccount(deps);
        return { ...page, items: page.items.map((a) => toAccountView(a, redeploys.get(a.accountId))) };
      },
    );

    app.get(
      `${PREFIX}/:accountId`,
      {
        schema: {
          summary: 'The inventory record of a vended account',
          tags: TAGS,
          params: Params,
          response: { 200: AccountViewSchema, ...errors },
        },
      },
      async (request) => {
        const { accountId } = request.params;
        const account = await loadVisibleAccount(deps.store, principalOf(request), accountId);
        return toAccountView(account, (await redeploysByAccount(deps)).get(accountId));
      },
    );

    app.get(
      `${PREFIX}/:accountId/compliance`,
      {
        schema: {
          summary: 'The last verification of an account, control by control with evidence',
          tags: TAGS,
          params: Params,
          response: { 200: ComplianceViewSchema, ...errors },
        },
      },
      async (request) => {
        const { accountId } = request.params;
        const record = await loadVisibleAccount(deps.store, principalOf(request), accountId);
        if (!record.lastVerification)
          throw new NotFoundError(`a verification of account ${accountId} (not verified yet)`);
        return record.lastVerification;
      },
    );
    return Promise.resolve();
  };
}
