import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
} from 'fastify-type-provider-zod';
import { registerAuditLog } from './audit';
import { registerAuth } from './auth';
import type { ApiDeps } from './deps';
import { registerErrorHandling } from './errors';
import { accountLifecycleRoutes } from './routes/account-lifecycle';
import { accountRequestRoutes } from './routes/account-requests';
import { accountRoutes } from './routes/accounts';
import { auditRoutes } from './routes/audit';
import { driftRoutes } from './routes/drift';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { rolloutRoutes } from './routes/rollouts';
import { registerRateLimits } from './rate-limit';
import { zodValidatorCompiler } from './schema-validation';
import { registerSecurityHeaders } from './security-headers';

export type { ApiDeps } from './deps';

/** Requests carry a small JSON document; anything bigger is refused with 413 before parsing. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** Tokens must never reach the logs, whatever logger options the caller passes. */
const REDACT = ['req.headers.authorization', 'req.headers["idempotency-key"]'];

function loggerOption(logger: ApiDeps['logger']): FastifyServerOptions['logger'] {
  if (logger === true) return { redact: REDACT };
  if (logger && typeof logger === 'object') return { ...logger, redact: REDACT };
  return false;
}

/**
 * The HTTP API as a fastify instance, ready for `inject()` or `listen()` (only the server entry
 * point listens). Every route but /healthz needs a bearer token; every mutating call is audited.
 */
export function buildApp(deps: ApiDeps): FastifyInstance {
  const app = Fastify({ logger: loggerOption(deps.logger), bodyLimit: BODY_LIMIT_BYTES });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerSecurityHeaders(app);
  registerAuth(app, deps, registerRateLimits(app, deps.config.config.api.rateLimit));
  registerAuditLog(app, deps);

  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'avf: AWS account vending factory',
        description:
          'Request, follow and manage AWS accounts. Send `Authorization: Bearer TOKEN` on every route but /healthz.',
        version: '1',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  void app.register(swaggerUi, {
    routePrefix: '/docs',
    ...(deps.docsAssetsDir ? { baseDir: deps.docsAssetsDir } : {}),
  });
  void app.register(healthRoutes);
  void app.register(metricsRoutes);
  void app.register(accountRequestRoutes(deps));
  void app.register(accountRoutes(deps));
  if (deps.lifecycle) void app.register(accountLifecycleRoutes(deps, deps.lifecycle));
  void app.register(auditRoutes(deps));
  void app.register(rolloutRoutes(deps));
  void app.register(driftRoutes(deps));
  void app.register((docs, _options, done) => {
    docs.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
    done();
  });
  return app;
}
