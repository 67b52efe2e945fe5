import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { resolve } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../api/app';
import { createToken } from '../../api/auth';
import type { ErrorResponse } from '../../api/errors';
import type { RequestView } from '../../api/views';
import { loadConfig } from '../../src/config/load';
import type { AccountRequestBody } from '../../src/domain/account-request';
import { MemoryStore } from '../../src/store/memory-store';
import type { AccountDirectory } from '../../src/workflow/intake';

export const exampleConfig = loadConfig(resolve(__dirname, '../../factory.config.yaml'));
export const ADMIN_TOKEN = 'local-admin-token-for-tests';

export interface Fixture {
  app: FastifyInstance;
  store: MemoryStore;
  tokens: { payments: string; otherTeam: string; platform: string; auditor: string; finance: string };
}

/** A fresh app over an empty in-memory store, the example config and a clock that ticks 1 s a call. */
export async function fixture(options: { accountDirectory?: AccountDirectory } = {}): Promise<Fixture> {
  const store = new MemoryStore();
  let time = Date.parse('2025-06-01T09:00:00Z');
  const app = buildApp({
    store,
    config: exampleConfig,
    clock: { now: () => new Date((time += 1000)) },
    adminToken: ADMIN_TOKEN,
    ...(options.accountDirectory ? { accountDirectory: options.accountDirectory } : {}),
  });
  const tokens = {
    payments: await createToken(store, { role: 'requester', team: 'payments' }),
    otherTeam: await createToken(store, { role: 'requester', team: 'search' }),
    platform: await createToken(store, { role: 'platform', name: 'platform-engineer' }),
    auditor: await createToken(store, { role: 'auditor' }),
    finance: await createToken(store, { role: 'finance' }),
  };
  return { app, store, tokens };
}

/**
 * For a describe block: a fresh fixture before each test, closed after it. The returned object is
 * filled in by beforeEach, so read it inside tests only.
 */
export function fixturePerTest(): Fixture {
  const current = {} as Fixture;
  beforeEach(async () => {
    Object.assign(current, await fixture());
  });
  afterEach(() => current.app.close());
  return current;
}

export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

export function requestBody(overrides: Partial<AccountRequestBody> = {}): AccountRequestBody {
  return {
    ...structuredClone(SAMPLE_REQUEST),
    ...overrides,
  };
}

/** A request without a body, as `token` (or without a token). */
export function call(app: FastifyInstance, method: 'GET' | 'POST', url: string, token?: string) {
  return app.inject({ method, url, headers: token === undefined ? {} : bearer(token) });
}

/** POSTs a request as `token` and returns the response. */
export function submit(app: FastifyInstance, token: string, body: object) {
  return app.inject({ method: 'POST', url: '/v1/account-requests', headers: bearer(token), payload: body });
}

export const viewOf = (res: LightMyRequestResponse): RequestView => res.json<RequestView>();

export const errorOf = (res: LightMyRequestResponse): ErrorResponse['error'] =>
  res.json<ErrorResponse>().error;

/** The ids on a page of the list, in order. */
export const idsOf = (res: LightMyRequestResponse): string[] =>
  res.json<{ items: RequestView[] }>().items.map((r) => r.id);

/** The field paths of every problem in a 400, sorted. */
export const problemPaths = (res: LightMyRequestResponse): string[] =>
  (errorOf(res).problems ?? []).map((p) => p.path).sort();
