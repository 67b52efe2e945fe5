import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { driftStatus } from '../../src/workflow/drift/drift-status';
import { DriftDocumentSchema, SweepSchema } from '../../src/workflow/drift/sweep-document';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ErrorResponseSchema } from '../errors';

const DriftView = z.object({
  sweep: SweepSchema.omit({ cursor: true }).optional(),
  previous: DriftDocumentSchema.shape.previous,
  nextSweepAt: z.string().optional(),
  settings: z.object({
    remediate: z.boolean(),
    sweepIntervalMinutes: z.number().int(),
    verificationsPerMinute: z.number().int(),
  }),
});

/** `GET /v1/drift`: the drift sweep running now or the last one, with its findings. */
export function driftRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/v1/drift',
      {
        schema: {
          summary: 'The current or last drift sweep: accounts checked, findings, StackSet drift',
          tags: ['drift'],
          response: {
            200: DriftView,
            401: ErrorResponseSchema,
            403: ErrorResponseSchema,
          },
        },
      },
      async (request) => driftStatus(deps, principalOf(request)),
    );
    return Promise.resolve();
  };
}
