import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { AvfError, UnauthorizedError, ValidationError } from '../src/domain/errors';
import type { Role, StoredToken, TokenStore } from '../src/domain/ports/request-store';
import { DAY_MS, DEFAULT_TOKEN_DAYS, tokenExpiry } from '../src/workflow/intake/tokens';
import type { Principal } from '../src/domain/principal';
import { sessionPrincipal, usesSession, type SessionDeps } from './console/session';
import type { RateLimits } from './rate-limit';
import type { RecentTokens } from './recent-tokens';

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
  return hash('sha256', token, 'hex');
}

/** The admin token's digest, computed once per admin token rather than on every call. */
let admin: { token: string; digest: Buffer } | undefined;

/** Compares digests so neither the length nor the content of the admin token leaks through timing. */
function isAdminTokenHash(tokenHash: string, adminToken: string | undefined): boolean {
  if (!adminToken) return false;
  if (admin?.token !== adminToken) admin = { token: adminToken, digest: Buffer.from(hashToken(adminToken)) };
  return timingSafeEqual(Buffer.from(tokenHash), admin.digest);
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header ?? '');
  return match?.[1];
}

/** AVF_ADMIN_TOKEN is a platform credential: a short one could be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/** Refuses an AVF_ADMIN_TOKEN shorter than 32 characters (an unset or empty one means none). */
export function checkAdminToken(adminToken: string | undefined): void {
  if (adminToken && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new AvfError(
      'ADMIN_TOKEN_TOO_SHORT',
      `AVF_ADMIN_TOKEN has ${adminToken.length} characters; it needs at least ${MIN_ADMIN_TOKEN_LENGTH} ` +
        '(e.g. `openssl rand -base64 32`), or leave it unset and use `avf token create`',
    );
  }
}

/** A token's use is written at most once a minute: last-used time is to the minute. */
const TOUCH_INTERVAL_MS = 60_000;

export interface AuthDeps {
  store: TokenStore;
  adminToken?: string;
  clock: { now(): Date };
  /** Tokens read a moment ago; without it every call reads its token from the store. */
  recentTokens?: RecentTokens;
}

/**
 * Where a failure to record a token's use is logged, as a warning; the call goes on (the use is not
 * what it asked for).
 */
export type TouchLog = Pick<FastifyBaseLogger, 'warn'>;

/** Resolves the Authorization header to a principal; throws UnauthorizedError (401) otherwise. */
export async function authenticate(
  deps: AuthDeps,
  authorization: string | undefined,
  log?: TouchLog,
): Promise<Principal> {
  const token = bearerToken(authorization);
  if (!token)
    throw new UnauthorizedError('send Authorization: Bearer TOKEN (create one with `avf token create`)');
  return principalForTokenHash(deps, hashToken(token), log);
}

/**
 * The principal of a token known by its sha256 (a bearer token, or the token a console session was
 * opened with); throws UnauthorizedError (401) when no such token is valid.
 */
export async function principalForTokenHash(deps: AuthDeps, id: string, log?: TouchLog): Promise<Principal> {
  if (isAdminTokenHash(id, deps.adminToken)) return { role: 'platform', name: 'AVF_ADMIN_TOKEN', id };
  const stored = await (deps.recentTokens?.find(id) ?? deps.store.findToken(id));
  if (!stored) throw new UnauthorizedError('the bearer token is not valid');
  const now = deps.clock.now();
  const expiresAt = tokenExpiry(stored);
  if (expiresAt <= now.toISOString()) {
    throw new UnauthorizedError(
      `the bearer token expired at ${expiresAt}; ask for a new one (avf token create)`,
    );
  }
  if (!stored.lastUsedAt || Date.parse(stored.lastUsedAt) + TOUCH_INTERVAL_MS <= now.getTime()) {
    const at = now.toISOString();
    await deps.store.touchToken(id, at).then(
      () => deps.recentTokens?.touched(id, at),
      (err: unknown) => log?.warn({ err }, 'auth: the token use was not recorded'),
    );
  }
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
export function registerAuth(app: FastifyInstance, deps: AuthDeps & SessionDeps, limits: RateLimits): void {
  checkAdminToken(deps.adminToken);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('consoleSession', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    try {
      request.principal = usesSession(request)
        ? await sessionPrincipal(deps, (id) => principalForTokenHash(deps, id, request.log), request)
        : await authenticate(deps, request.headers.authorization, request.log);
    } catch (err) {
      limits.perIp(request);
      throw err;
    }
    limits.perToken(request);
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
  /** Shown in the audit log and as `createdBy`; unique; default: the role and team (numbered when taken). */
  name?: string;
  /** Days until it expires; default 90. */
  expiresInDays?: number;
}

/** The longest expiry a token may be created with (a year): tokens are to be rotated. */
export const MAX_TOKEN_DAYS = 366;

/** The name given or, without one, the role and team, numbered (`-2`, `-3`…) when another token has it. */
async function nameFor(tokenStore: TokenStore, input: NewToken): Promise<string> {
  if (input.name !== undefined) return input.name;
  const base = input.team ? `${input.role}:${input.team}` : input.role;
  const taken = new Set((await tokenStore.listTokens()).map((t) => t.name));
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  return name;
}

/**
 * Creates an API token and stores only its hash. Returns the token: this is the only time it can
 * be seen. 32 random bytes, base64url, prefixed `avf_` so secret scanners can recognise it.
 *
 * @throws ValidationError when a requester has no team or another role has one, or the expiry or
 *   name is not valid; ConflictError `TOKEN_NAME_IN_USE` when another token has the name
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
  const days = input.expiresInDays ?? DEFAULT_TOKEN_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
    throw new ValidationError([
      {
        path: 'expiresInDays',
        message: `a token expires after 1 to ${MAX_TOKEN_DAYS} whole days (received ${days})`,
      },
    ]);
  }
  if (input.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9:._@-]{0,63}$/.test(input.name)) {
    throw new ValidationError([
      {
        path: 'name',
        message: 'a token name is 1-64 of A-Z a-z 0-9 : . _ @ -, starting with a letter or digit',
      },
    ]);
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const stored: StoredToken = {
    hash: hashToken(token),
    role: input.role,
    ...(input.team === undefined ? {} : { team: input.team }),
    name: await nameFor(tokenStore, input),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + days * DAY_MS).toISOString(),
  };
  await tokenStore.putToken(stored);
  return token;
}
