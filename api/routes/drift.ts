import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { driftStatus } from '../../src/workflow/drift/drift-status';
import { startSweepNow } from '../../src/workflow/drift/start-sweep';
import {
  DriftDocumentSchema,
  DriftFindingSchema,
  SweepRecordSchema,
  SweepSummarySchema,
} from '../../src/workflow/drift/sweep-document';
import { getSweep, listSweeps } from '../../src/workflow/drift/sweep-history';
import { SWEEP_ID_PATTERN } from '../../src/workflow/drift/sweep-id';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, locateProblemsIn } from '../errors';

const TAGS = ['drift'];
const DriftView = z.object({
  sweep: SweepRecordSchema.optional(),
  previous: DriftDocumentSchema.shape.previous,
  nextSweepAt: z.string().optional(),
  settings: z.object({
    remediate: z.boolean(),
    sweepIntervalMinutes: z.number().int(),
    verificationsPerMinute: z.number().int(),
    busyStackSetWaitMinutes: z.number().int(),
  }),
});
const AccountFilter = z
  .string()
  .regex(/^\d{12}$/, 'a 12-digit AWS account id')
  .optional()
  .describe("only this account's findings");
const SweepParams = z.object({ id: z.string().regex(SWEEP_ID_PATTERN, 'a drift sweep id (sw-…)') }).strict();
const SweepListItem = SweepSummarySchema.extend({ findings: z.array(DriftFindingSchema).optional() });

/**
 * `GET /v1/drift` (the sweep running now or the last one), `POST /v1/drift/sweeps` (start one now)
 * and the history of finished sweeps, `GET /v1/drift/sweeps[/{id}]`.
 */
export function driftRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/v1/drift',
      {
        schema: {
          summary: 'The current or last drift sweep: accounts checked, findings, StackSet drift',
          tags: TAGS,
          response: { 200: DriftView, ...ERROR_RESPONSES },
        },
      },
      async (request) => driftStatus(deps, principalOf(request)),
    );

    app.post(
      '/v1/drift/sweeps',
      {
        config: { audit: 'drift.sweep.start' },
        schema: {
          summary: 'Start a drift sweep now, whatever the interval (409 while one is running)',
          tags: TAGS,
          response: { 202: SweepSummarySchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const sweep = await startSweepNow(deps, principalOf(request));
        request.auditTarget = sweep.id;
        return reply.code(202).header('location', `/v1/drift/sweeps/${sweep.id}`).send(sweep);
      },
    );

    app.get(
      '/v1/drift/sweeps',
      {
        schema: {
          summary: 'Finished drift sweeps, newest first (with one account’s findings when asked)',
          tags: TAGS,
          querystring: z
            .object({
              cursor: z.string().min(1).max(512).optional(),
              limit: z.coerce.number().int().min(1).max(50).default(10),
              accountId: AccountFilter,
            })
            .strict(),
          response: {
            200: z.object({ items: z.array(SweepListItem), nextCursor: z.string().optional() }),
            ...ERROR_RESPONSES,
          },
        },
      },
      async (request) =>
        listSweeps(deps, principalOf(request), request.query).catch(locateProblemsIn('querystring')),
    );

    app.get(
      '/v1/drift/sweeps/:id',
      {
        schema: {
          summary: 'One drift sweep (finished or running) with its stored findings and errors',
          tags: TAGS,
          params: SweepParams,
          querystring: z.object({ accountId: AccountFilter }).strict(),
          response: { 200: SweepRecordSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => getSweep(deps, principalOf(request), request.params.id, request.query.accountId),
    );
    return Promise.resolve();
  };
}
