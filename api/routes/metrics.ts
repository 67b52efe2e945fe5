import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registry } from '../../src/metrics/registry';
import { requireRole } from '../../src/domain/principal';
import { principalOf } from '../auth';
import { ErrorResponseSchema } from '../errors';

/** Prometheus metrics: AWS calls by service and operation, AWS calls per vended account, process. */
export const metricsRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics (text exposition format)',
        description:
          'avf_aws_calls_total{service,operation}, avf_aws_calls_per_account (histogram), avf_accounts_ready_total and process metrics. For platform and auditor tokens.',
        tags: ['health'],
        response: {
          200: z.string(),
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      requireRole(principalOf(request), ['platform', 'auditor'], 'read the metrics');
      void reply.type(registry.contentType);
      return registry.metrics();
    },
  );
  return Promise.resolve();
};
