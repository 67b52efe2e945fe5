import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEntrySchema } from '../../src/domain/ports/request-store';
import { readAuditLog } from '../../src/workflow/intake';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ErrorResponseSchema, locateProblemsIn } from '../errors';

const AuditQuery = z
  .object({
    cursor: z.string().min(1).max(512).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

const AuditPageSchema = z.object({ items: z.array(AuditEntrySchema), nextCursor: z.string().optional() });

export function auditRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/v1/audit',
      {
        schema: {
          summary: 'The audit log, newest first: every mutating call, its actor and outcome',
          description: 'For auditor and platform tokens only.',
          tags: ['audit'],
          querystring: AuditQuery,
          response: {
            200: AuditPageSchema,
            400: ErrorResponseSchema,
            401: ErrorResponseSchema,
            403: ErrorResponseSchema,
          },
        },
      },
      async (request) => {
        const page = await readAuditLog(deps.store, principalOf(request), request.query).catch(
          locateProblemsIn('querystring'),
        );
        return page.nextCursor ? { items: page.items, nextCursor: page.nextCursor } : { items: page.items };
      },
    );
    return Promise.resolve();
  };
}
