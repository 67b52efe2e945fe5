import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { registerAuditLog } from './audit';
import { registerAuth } from './auth';
import { consoleRoutes } from './console/routes';
import type { ApiDeps } from './deps';
import { registerErrorHandling } from './errors';
import { registerJsonBodies } from './json-body';
import { loggerOption } from './log-options';
import { finishOpenApi } from './openapi';
import { accountChangeRoutes } from './routes/account-changes';
import { accountLifecycleRoutes } from './routes/account-lifecycle';
import { accountRequestRoutes } from './routes/account-requests';
import { accountRoutes } from './routes/accounts';
import { auditRoutes } from './routes/audit';
import { costRoutes } from './routes/costs';
import { driftRoutes } from './routes/drift';
import { healthRoutes } from './routes/health';
import { metricsRoutes } from './routes/metrics';
import { rolloutRoutes } from './routes/rollouts';
import { tokenRoutes } from './routes/tokens';
import { rateLimits } from './rate-limit';
import { RecentTokens } from './recent-tokens';
import { OneLinePerRequest } from './request-log';
import { responseSerializerCompiler } from './response-serializer';
import { zodValidatorCompiler } from './schema-validation';
import { registerSecurityHeaders } from './security-headers';
import { registerWorkerWake } from './wake-workers';

export type { ApiDeps } from './deps';

/** Requests carry a small JSON document; anything bigger is refused with 413 before parsing. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/** A client has this long to send a request's headers and body (a slow-drip client is cut off). */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The HTTP API as a fastify instance, ready for `inject()` or `listen()` (only the server entry
 * point listens). Every route but /healthz, the docs and the console's page needs a bearer token
 * (or a console session); every mutating call is audited.
 */
export function buildApp(given: ApiDeps): FastifyInstance {
  const deps: ApiDeps = { ...given, recentTokens: given.recentTokens ?? new RecentTokens(given.store) };
  const app = Fastify({
    logger: loggerOption(deps.logger),
    logController: new OneLinePerRequest(),
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  registerErrorHandling(app);
  registerJsonBodies(app);
  registerSecurityHeaders(app);
  // Cookies are read only for console sessions, by the auth hook itself: no parsing hook.
  void app.register(cookie, { hook: false });
  const limits = rateLimits(deps.config.config.api.rateLimit);
  registerAuth(app, deps, limits);
  registerAuditLog(app, deps);
  if (deps.wakeWorkers) registerWorkerWake(app, deps.wakeWorkers);
  // The API's description and Swagger UI open in a browser; trying a call there still needs a token.
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/'))
      route.config = { ...route.config, public: true };
  });

  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'avf: AWS account vending factory',
        description:
          'Request, follow and manage AWS accounts. Send `Authorization: Bearer TOKEN` on every route but /healthz, /docs and /openapi.json.',
        version: '1',
        license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
      },
      servers: [
        { url: 'http://127.0.0.1:8080', description: '`avf serve` on this machine (PORT changes the port)' },
      ],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: finishOpenApi,
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
  if (deps.lifecycle) void app.register(accountChangeRoutes(deps.lifecycle));
  void app.register(auditRoutes(deps));
  void app.register(rolloutRoutes(deps));
  void app.register(driftRoutes(deps));
  void app.register(consoleRoutes(deps, limits));
  void app.register(tokenRoutes(deps));
  void app.register(costRoutes(deps));
  void app.register((docs, _options, done) => {
    docs.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
    done();
  });
  return app;
}
