import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ForbiddenError, StaleRecordError, UnauthorizedError } from '../../src/domain/errors';
import type { DocumentStore } from '../../src/domain/ports/document-store';
import type { Principal } from '../../src/domain/principal';
import type { Clock } from '../../src/workflow/clock';

/**
 * Console sessions (cookies read and written with @fastify/cookie, registered by the app). Signing in exchanges an API token for a random session id sent back as an
 * HttpOnly, SameSite=Strict cookie; the store keeps only the id's sha256, the token's sha256 (so
 * every call re-checks the token exactly as a bearer call would) and a CSRF token that changes
 * (POST, PATCH, DELETE) must echo in `x-csrf-token`. The token itself is never stored, logged or
 * put in a URL, and scripts never see it after sign-in.
 */
export const SESSION_COOKIE = 'avf_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_HOURS = 8;
const KIND = 'console-session';

const SessionSchema = z.object({
  tokenHash: z.string(),
  csrf: z.string(),
  expiresAt: z.string(),
});
export type ConsoleSession = z.infer<typeof SessionSchema>;

export interface SessionDeps {
  store: DocumentStore;
  clock: Clock;
}

/** Resolves a token's sha256 to its principal: the API's own token check. */
export type VerifyTokenHash = (tokenHash: string) => Promise<Principal>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the caller was authenticated by a console session cookie (not a bearer token). */
    consoleSession?: ConsoleSession;
  }
}

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

function sessionIdOf(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const id = request.server.parseCookie(header)[SESSION_COOKIE];
  return id && /^[\w-]{43}$/.test(id) ? id : undefined;
}

/** A browser call: no Authorization header, a session cookie. Bearer calls never use the cookie. */
export function usesSession(request: FastifyRequest): boolean {
  return request.headers.authorization === undefined && sessionIdOf(request) !== undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(sha256(a));
  const y = Buffer.from(sha256(b));
  return timingSafeEqual(x, y);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The stored session the request's cookie names, if any. */
async function storedSessionOf(deps: SessionDeps, request: FastifyRequest) {
  const id = sessionIdOf(request);
  return id ? deps.store.getDocument(KIND, sha256(id)) : undefined;
}

/**
 * The principal behind a session cookie; 401 when the session is unknown or expired (an expired
 * one is deleted), 403 when a change lacks the session's CSRF token.
 */
export async function sessionPrincipal(
  deps: SessionDeps,
  verify: VerifyTokenHash,
  request: FastifyRequest,
): Promise<Principal> {
  const stored = await storedSessionOf(deps, request);
  const session = stored ? SessionSchema.safeParse(stored.body) : undefined;
  if (!stored || !session?.success) throw new UnauthorizedError('sign in again: the session is not known');
  if (Date.parse(session.data.expiresAt) <= deps.clock.now().getTime()) {
    await deps.store.deleteDocument(KIND, stored.id, stored.version).catch(ignoreStale);
    throw new UnauthorizedError('sign in again: the session has expired');
  }
  if (UNSAFE.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, session.data.csrf)) {
      throw new ForbiddenError(`a change from the console needs the session's ${CSRF_HEADER} header`);
    }
  }
  request.consoleSession = session.data;
  return verify(session.data.tokenHash);
}

function ignoreStale(error: unknown): void {
  if (!(error instanceof StaleRecordError)) throw error;
}

function cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
  const forwarded = request.headers['x-forwarded-proto'];
  const secure = request.protocol === 'https' || forwarded === 'https';
  return { httpOnly: true, sameSite: 'strict' as const, path: '/', secure, maxAge: maxAgeSeconds };
}

/** Stores a new session for an already verified token and sets its cookie on the reply. */
export async function openSession(
  deps: SessionDeps,
  tokenHash: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<ConsoleSession> {
  const id = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const session: ConsoleSession = {
    tokenHash,
    csrf: randomBytes(24).toString('base64url'),
    expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
  };
  await deps.store.putDocument(KIND, sha256(id), session, 0, now);
  void reply.setCookie(SESSION_COOKIE, id, cookieOptions(request, SESSION_HOURS * 3600));
  return session;
}

/** Deletes the caller's session (if any) and clears its cookie. */
export async function closeSession(
  deps: SessionDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const stored = await storedSessionOf(deps, request);
  if (stored) await deps.store.deleteDocument(KIND, stored.id, stored.version).catch(ignoreStale);
  void reply.setCookie(SESSION_COOKIE, '', cookieOptions(request, 0));
}
