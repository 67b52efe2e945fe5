import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { resolve } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type ApiDeps } from '../../api/app';
import { createToken } from '../../api/auth';
import type { ErrorResponse } from '../../api/errors';
import type { RequestView } from '../../api/views';
import { loadConfig, type LoadedConfig } from '../../src/config/load';
import type { ApiConfig } from '../../src/config/schema';
import type { AccountRequestBody, RequestRecord } from '../../src/domain/account-request';
import { makeRequestRecord } from '../support/fixtures';
import { MemoryStore } from '../../src/store/memory-store';
import type { AccessCatalog, AccountDirectory } from '../../src/workflow/intake';

export const exampleConfig = loadConfig(resolve(__dirname, '../../factory.config.yaml'));
export const ADMIN_TOKEN = 'local-admin-token-for-tests-0123456789';

export interface Fixture {
  app: FastifyInstance;
  store: MemoryStore;
  tokens: { payments: string; otherTeam: string; platform: string; auditor: string; finance: string };
}

/** A fresh app over an empty in-memory store, the example config and a clock that ticks 1 s a call. */
export interface FixtureOptions {
  accountDirectory?: AccountDirectory;
  /** The Identity Center pre-flight's catalog (none: no pre-flight). */
  accessCatalog?: AccessCatalog;
  /** Overrides the example config's `api.rateLimit`. */
  rateLimit?: Partial<ApiConfig['rateLimit']>;
  /** fastify's logger option (off by default). */
  logger?: ApiDeps['logger'];
  /** Wakes the workers after a successful mutating call (the Lambda API's; none by default). */
  wakeWorkers?: ApiDeps['wakeWorkers'];
}

/** The example config with other rate limits. */
function withRateLimit(limits: Partial<ApiConfig['rateLimit']> | undefined): LoadedConfig {
  if (!limits) return exampleConfig;
  const config = exampleConfig.config;
  return {
    ...exampleConfig,
    config: { ...config, api: { ...config.api, rateLimit: { ...config.api.rateLimit, ...limits } } },
  };
}

export async function fixture(options: FixtureOptions = {}): Promise<Fixture> {
  const store = new MemoryStore();
  let time = Date.parse('2025-06-01T09:00:00Z');
  const app = buildApp({
    store,
    config: withRateLimit(options.rateLimit),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    clock: { now: () => new Date((time += 1000)) },
    adminToken: ADMIN_TOKEN,
    ...(options.accountDirectory ? { accountDirectory: options.accountDirectory } : {}),
    ...(options.accessCatalog ? { accessCatalog: options.accessCatalog } : {}),
    ...(options.wakeWorkers ? { wakeWorkers: options.wakeWorkers } : {}),
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

/** POSTs a request as `token` (with an Idempotency-Key when given) and returns the response. */
export function submit(app: FastifyInstance, token: string, body: object, idempotencyKey?: string) {
  const headers = {
    ...bearer(token),
    ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
  };
  return app.inject({ method: 'POST', url: '/v1/account-requests', headers, payload: body });
}

/** How many requests the store holds (at most 100: enough for any test). */
export async function storedRequests(store: MemoryStore): Promise<number> {
  return (await store.list({ limit: 100 })).items.length;
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

export const VENDED_ACCOUNT = '210987654321';

/** A READY request of team payments that vended VENDED_ACCOUNT, with its last verification. */
export function vended(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return makeRequestRecord({
    status: 'READY',
    accountId: VENDED_ACCOUNT,
    controls: { passed: 2, failed: 0, error: 0 },
    lastVerification: {
      accountId: VENDED_ACCOUNT,
      verifiedAt: '2025-06-01T10:00:00.000Z',
      results: [
        {
          id: 'O-1',
          title: 'account is in its requested OU',
          status: 'PASS',
          evidence: 'parent ou-1 is Workloads/NonProd',
        },
        { id: 'D-2', title: 'EBS encryption', region: 'eu-west-1', status: 'PASS', evidence: 'enabled' },
      ],
      summary: { passed: 2, failed: 0, error: 0 },
      blocking: [],
    },
    ...overrides,
  });
}
