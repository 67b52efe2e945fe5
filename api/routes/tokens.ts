import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listTokenViews, revokeToken, TokenViewSchema } from '../../src/workflow/intake';
import { requireRole } from '../../src/domain/principal';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES } from '../errors';

const TAGS = ['tokens'];

/** Token lifecycle for platform tokens: list them (never their hashes) and revoke one. */
export function tokenRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  return (app) => {
    app.get(
      '/v1/tokens',
      {
        schema: {
          summary: 'Every API token: id, name, role, team, created, expires, last used (platform)',
          description: 'Oldest first. AVF_ADMIN_TOKEN is not stored and not listed.',
          tags: TAGS,
          response: { 200: z.object({ items: z.array(TokenViewSchema) }), ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        requireRole(principalOf(request), ['platform'], 'list tokens');
        return { items: await listTokenViews(deps.store, deps.clock.now()) };
      },
    );

    app.delete(
      '/v1/tokens/:id',
      {
        config: { audit: 'token.revoke' },
        schema: {
          summary: 'Revoke a token by its id (tok_…) or name: it is refused from the next call on (platform)',
          tags: TAGS,
          params: z.object({ id: z.string().min(1).max(128) }),
          response: { 200: TokenViewSchema, ...ERROR_RESPONSES },
        },
      },
      async (request) => {
        requireRole(principalOf(request), ['platform'], 'revoke tokens');
        const revoked = await revokeToken(deps.store, request.params.id, deps.clock.now());
        deps.recentTokens?.forgetAll();
        return revoked;
      },
    );
    return Promise.resolve();
  };
}
