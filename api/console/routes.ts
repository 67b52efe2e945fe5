import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NotFoundError, UnauthorizedError } from '../../src/domain/errors';
import { authenticate, principalForTokenHash } from '../auth';
import type { ApiDeps } from '../deps';
import { ErrorResponseSchema } from '../errors';
import type { RateLimits } from '../rate-limit';
import { consoleAssets } from './assets';
import { CONSOLE_CSP } from './page';
import { closeSession, openSession, sessionPrincipal, usesSession } from './session';

const SESSION = '/console/session';

const SignInBody = z.object({ token: z.string().min(1).max(512) }).strict();
const PrincipalView = z.object({
  role: z.string(),
  team: z.string().optional(),
  name: z.string(),
});
const SessionView = z.object({
  signedIn: z.boolean(),
  principal: PrincipalView.optional(),
  csrf: z.string().optional().describe('send as x-csrf-token on every change made with the session'),
  expiresAt: z.string().optional(),
});
const errors = { 400: ErrorResponseSchema, 401: ErrorResponseSchema, 429: ErrorResponseSchema };

const principalView = (p: { role: string; team?: string; name: string }) => ({
  role: p.role,
  ...(p.team === undefined ? {} : { team: p.team }),
  name: p.name,
});

/**
 * The web console: its page at `/`, its built files under `/console/`, and the session routes
 * that exchange an API token for an HttpOnly cookie (see ./session.ts). The page and files are
 * public; everything they show comes from the API, with the caller's own role.
 */
export function consoleRoutes(deps: ApiDeps, limits: RateLimits): FastifyPluginAsyncZod {
  return (app) => {
    app.get('/', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      const page = (await consoleAssets()).get('index.html');
      if (!page) throw new NotFoundError('the console page');
      return reply.type(page.type).header('content-security-policy', CONSOLE_CSP).send(page.body);
    });

    app.get(
      '/console/:file',
      {
        config: { public: true },
        schema: { hide: true, params: z.object({ file: z.string().regex(/^[\w.-]{1,100}$/) }) },
      },
      async (request, reply) => {
        const asset = (await consoleAssets()).get(request.params.file);
        if (!asset || asset.name === 'index.html')
          throw new NotFoundError(`console file ${request.params.file}`);
        return reply
          .type(asset.type)
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(asset.body);
      },
    );

    app.post(
      SESSION,
      {
        config: { public: true, audit: 'console.sign-in' },
        schema: { hide: true, body: SignInBody, response: { 200: SessionView, ...errors } },
      },
      async (request, reply) => {
        limits.perIp(request);
        const principal = await authenticate(deps, `Bearer ${request.body.token}`);
        request.principal = principal;
        const session = await openSession(deps, principal.id ?? '', request, reply);
        return {
          signedIn: true,
          principal: principalView(principal),
          csrf: session.csrf,
          expiresAt: session.expiresAt,
        };
      },
    );

    // Public, so that a browser without a session gets 200 { signedIn: false } rather than an error.
    app.get(
      SESSION,
      { config: { public: true }, schema: { hide: true, response: { 200: SessionView } } },
      async (request) => {
        if (!usesSession(request)) return { signedIn: false };
        const verify = (hash: string) => principalForTokenHash(deps, hash);
        const principal = await sessionPrincipal(deps, verify, request).catch((err: unknown) => {
          if (err instanceof UnauthorizedError) return undefined;
          throw err;
        });
        const session = request.consoleSession;
        if (!principal || !session) return { signedIn: false };
        return {
          signedIn: true,
          principal: principalView(principal),
          csrf: session.csrf,
          expiresAt: session.expiresAt,
        };
      },
    );

    app.delete(
      SESSION,
      { config: { audit: 'console.sign-out' }, schema: { hide: true } },
      async (request, reply) => {
        await closeSession(deps, request, reply);
        return reply.status(204).send();
      },
    );
    return Promise.resolve();
  };
}
