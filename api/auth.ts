import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnauthorizedError, ValidationError } from '../src/domain/errors';
import type { Role, StoredToken, TokenStore } from '../src/domain/ports/request-store';
import type { Principal } from '../src/workflow/intake';
import { sessionPrincipal, usesSession, type SessionDeps } from './console/session';
import type { RateLimits } from './rate-limit';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Served without a token (only /healthz). */
    public?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const ROLES: readonly Role[] = ['requester', 'platform', 'finance', 'auditor'];

const TOKEN_PREFIX = 'avf_';

/** What is stored for a token: its sha256, hex. The token itself never is. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares digests so neither the length nor the content of the admin token leaks through timing. */
function isAdminTokenHash(tokenHash: string, adminToken: string | undefined): boolean {
  if (!adminToken) return false;
  return timingSafeEqual(Buffer.from(tokenHash), Buffer.from(hashToken(adminToken)));
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** Resolves the Authorization header to a principal; throws UnauthorizedError (401) otherwise. */
export async function authenticate(
  deps: { store: TokenStore; adminToken?: string },
  authorization: string | undefined,
): Promise<Principal> {
  const token = bearerToken(authorization);
  if (!token)
    throw new UnauthorizedError('send Authorization: Bearer TOKEN (create one with `avf token create`)');
  return principalForTokenHash(deps, hashToken(token));
}

/**
 * The principal of a token known by its sha256 (a bearer token, or the token a console session was
 * opened with); throws UnauthorizedError (401) when no such token is valid.
 */
export async function principalForTokenHash(
  deps: { store: TokenStore; adminToken?: string },
  id: string,
): Promise<Principal> {
  if (isAdminTokenHash(id, deps.adminToken)) return { role: 'platform', name: 'AVF_ADMIN_TOKEN', id };
  const stored = await deps.store.findToken(id);
  if (!stored) throw new UnauthorizedError('the bearer token is not valid');
  return stored.team === undefined
    ? { role: stored.role, name: stored.name, id }
    : { role: stored.role, team: stored.team, name: stored.name, id };
}

/**
 * Adds the 401 check to every route not marked `config: { public: true }`, and the rate limits:
 * per token once authenticated, per IP while not (so guessing tokens is slow too). A browser
 * without an Authorization header is authenticated by its console session cookie instead, which
 * resolves to the same principal its token would.
 */
export function registerAuth(
  app: FastifyInstance,
  deps: { store: TokenStore; adminToken?: string } & SessionDeps,
  limits: RateLimits,
): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('consoleSession', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    try {
      request.principal = usesSession(request)
        ? await sessionPrincipal(deps, (hash) => principalForTokenHash(deps, hash), request)
        : await authenticate(deps, request.headers.authorization);
    } catch (err) {
      await limits.perIp(request);
      throw err;
    }
    await limits.perToken(request);
  });
}

/** The authenticated principal of a request (the onRequest hook has already refused the rest). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthorizedError();
  return request.principal;
}

export interface NewToken {
  role: Role;
  /** Required for (and only for) `requester`: the team the token acts for. */
  team?: string;
  /** Shown in the audit log and as `createdBy`; default: the role and team. */
  name?: string;
}

/**
 * Creates an API token and stores only its hash. Returns the token: this is the only time it can
 * be seen. 32 random bytes, base64url, prefixed `avf_` so secret scanners can recognise it.
 *
 * @throws ValidationError when a requester has no team or another role has one
 */
export async function createToken(
  tokenStore: TokenStore,
  input: NewToken,
  now: Date = new Date(),
): Promise<string> {
  if (!ROLES.includes(input.role)) {
    throw new ValidationError([
      { path: 'role', message: `${String(input.role)} is not a role (roles: ${ROLES.join(', ')})` },
    ]);
  }
  if (input.role === 'requester' && !input.team) {
    throw new ValidationError([
      { path: 'team', message: 'a requester token needs the team it acts for (--team)' },
    ]);
  }
  if (input.role !== 'requester' && input.team !== undefined) {
    throw new ValidationError([
      { path: 'team', message: `a ${input.role} token acts for every team; drop --team` },
    ]);
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const stored: StoredToken = {
    hash: hashToken(token),
    role: input.role,
    name: input.name ?? (input.team ? `${input.role}:${input.team}` : input.role),
    createdAt: now.toISOString(),
    ...(input.team === undefined ? {} : { team: input.team }),
  };
  await tokenStore.putToken(stored);
  return token;
}
