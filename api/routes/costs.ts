import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MonthSchema } from '../../src/domain/costs';
import { changeFreeze } from '../../src/workflow/costs/change-freeze';
import { collectNow } from '../../src/workflow/costs/collection-kind';
import { listCosts } from '../../src/workflow/costs/read-costs';
import { showback, showbackCsv } from '../../src/workflow/costs/report';
import { requireRole } from '../../src/domain/principal';
import { AccountCostViewSchema, CostsResponseSchema, ShowbackRowSchema } from '../cost-views';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../errors';

const TAGS = ['costs'];
/** Roles that read spend across teams; a requester reads its own team's. */
export const COST_READERS = ['platform', 'finance', 'auditor', 'requester'] as const;

const CostsQuery = z
  .object({
    team: z.string().min(1).max(63).optional(),
    costCenter: z.string().min(1).max(256).optional(),
    ou: z.string().min(1).max(512).optional().describe('this OU and the OUs below it'),
    month: MonthSchema.optional().describe('YYYY-MM (default: this month, UTC)'),
  })
  .strict();
const ReportQuery = z
  .object({
    month: MonthSchema.optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
const Params = z.object({ accountId: z.string().regex(/^\d{12}$/, 'an AWS account id: 12 digits') }).strict();

/** Finance's views: spend per account, showback by cost centre and team, and releasing freezes. */
export function costRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/v1/costs',
      {
        schema: {
          summary: 'Spend per account: limit, actual, forecast, share used, alerts, freeze, anomalies',
          description:
            'Every figure carries the time it was collected (`at`). A requester sees its own team’s accounts.',
          tags: TAGS,
          querystring: CostsQuery,
          response: { 200: CostsResponseSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        requireRole(principal, COST_READERS, 'read costs');
        return listCosts(deps, principal, request.query);
      },
    );

    app.get(
      '/v1/costs/report',
      {
        schema: {
          summary: 'Showback for a month by cost centre and team (JSON, or CSV with format=csv)',
          tags: TAGS,
          querystring: ReportQuery,
          response: {
            200: z
              .object({ month: MonthSchema, rows: z.array(ShowbackRowSchema) })
              .describe('format=json; format=csv answers text/csv with the same columns'),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        requireRole(principal, COST_READERS, 'read the cost report');
        const report = await showback(deps, principal, request.query.month);
        if (request.query.format === 'json') return report;
        const csv = showbackCsv(report.month, report.rows);
        // A CSV body is not the JSON schema's: it is sent as it is, past the route's serializer.
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="avf-showback-${report.month}.csv"`)
          .serializer((payload: unknown) => String(payload))
          .send(csv as unknown as typeof report);
      },
    );

    const lifecycle = deps.lifecycle;
    if (!lifecycle) return Promise.resolve();
    app.post(
      '/v1/costs/collect',
      {
        config: { audit: 'costs.collect' },
        schema: {
          summary: 'Collect spend now (platform), whatever the interval',
          tags: TAGS,
          response: {
            202: z.object({ scheduled: z.boolean().describe('false while a run is under way') }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request, reply) => {
        requireRole(principalOf(request), ['platform'], 'start a cost collection');
        return reply.code(202).send({ scheduled: await collectNow(lifecycle) });
      },
    );
    for (const change of ['approve', 'release'] as const) {
      app.post(
        `/v1/accounts/:accountId/freeze/${change}`,
        {
          config: { audit: `account.freeze.${change}` },
          schema: {
            summary:
              change === 'approve'
                ? 'Approve a spending freeze waiting for approval (platform): AWS Budgets applies the SCP'
                : 'Release a spending freeze (platform): AWS Budgets reverses the action, the SCP is detached',
            tags: TAGS,
            params: Params,
            response: { 200: AccountCostViewSchema, ...ERROR_RESPONSES },
          },
        },
        async (request) => {
          request.auditTarget = request.params.accountId;
          return changeFreeze(lifecycle, principalOf(request), request.params.accountId, change);
        },
      );
    }
    return Promise.resolve();
  };
}
