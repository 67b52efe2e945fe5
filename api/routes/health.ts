import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Liveness: no token, no store access, nothing to leak. */
export const healthRoutes: FastifyPluginAsyncZod = (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        summary: 'Liveness',
        tags: ['health'],
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );
  return Promise.resolve();
};
