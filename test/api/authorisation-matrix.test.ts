import type { FastifyInstance } from 'fastify';
import { makeRequestRecord } from '../support/fixtures';
import {
  ADMIN_TOKEN,
  bearer,
  fixture,
  requestBody,
  storedRequests,
  VENDED_ACCOUNT,
  vended,
  viewOf,
  type Fixture,
} from './fixture';

/** Who calls, in the order of each row's expected statuses. */
const CALLERS = ['none', 'bad', 'payments', 'otherTeam', 'platform', 'admin', 'finance', 'auditor'] as const;
type Caller = (typeof CALLERS)[number];
type Statuses = readonly [number, number, number, number, number, number, number, number];

interface Row {
  /** The route as fastify knows it. */
  route: string;
  /** What this row checks, when a route has several rows. */
  case?: string;
  url?: string;
  payload?: object;
  mutating?: boolean;
  expect: Statuses;
}

const PENDING = 'req-pending-0000001';
const FAILED = 'req-failed-00000001';
const R = '/v1/account-requests';
const DOCS_PAGE: Statuses = [200, 200, 200, 200, 200, 200, 200, 200];
const READ_ALL: Statuses = [401, 401, 200, 200, 200, 200, 200, 200];
const OWN_TEAM_READ: Statuses = [401, 401, 200, 404, 200, 200, 200, 200];

/** The matrix: every route of the app × every caller → the status it must answer. */
const MATRIX: readonly Row[] = [
  { route: 'GET /healthz', expect: [200, 200, 200, 200, 200, 200, 200, 200] },
  { route: 'GET /metrics', expect: [401, 401, 403, 403, 200, 200, 403, 200] },
  { route: 'GET /v1/accounts', expect: READ_ALL },
  { route: 'GET /v1/baselines', expect: [401, 401, 403, 403, 200, 200, 403, 200] },
  { route: 'GET /v1/rollouts', expect: [401, 401, 403, 403, 200, 200, 403, 200] },
  { route: 'GET /v1/drift', expect: [401, 401, 403, 403, 200, 200, 403, 200] },
  { route: 'GET /v1/drift/sweeps', expect: [401, 401, 403, 403, 200, 200, 403, 200] },
  {
    route: 'GET /v1/drift/sweeps/:id',
    url: '/v1/drift/sweeps/sw-20200101T000000000Z-abcd',
    expect: [401, 401, 403, 403, 404, 404, 403, 404],
  },
  { route: 'POST /v1/drift/sweeps', mutating: true, expect: [401, 401, 403, 403, 202, 202, 403, 403] },
  {
    route: 'GET /v1/rollouts/:id',
    url: '/v1/rollouts/ro-missing',
    expect: [401, 401, 403, 403, 404, 404, 403, 404],
  },
  {
    route: 'POST /v1/rollouts',
    case: 'dry run',
    payload: { dryRun: true },
    mutating: true,
    expect: [401, 401, 403, 403, 200, 200, 403, 403],
  },
  ...(['halt', 'resume'] as const).map((action) => ({
    route: `POST /v1/rollouts/:id/${action}`,
    url: `/v1/rollouts/ro-missing/${action}`,
    mutating: true,
    expect: [401, 401, 403, 403, 404, 404, 403, 403] as const,
  })),
  { route: 'GET /v1/tokens', expect: [401, 401, 403, 403, 200, 200, 403, 403] },
  {
    route: 'DELETE /v1/tokens/:id',
    url: '/v1/tokens/tok_0000000000000000',
    mutating: true,
    expect: [401, 401, 403, 403, 404, 404, 403, 403],
  },
  { route: 'GET /openapi.json', expect: DOCS_PAGE },
  { route: 'GET /docs', expect: DOCS_PAGE },
  { route: 'GET /docs/json', expect: DOCS_PAGE },
  { route: 'GET /docs/yaml', expect: DOCS_PAGE },
  { route: 'GET /docs/static/index.html', expect: [302, 302, 302, 302, 302, 302, 302, 302] },
  { route: 'GET /', expect: DOCS_PAGE },
  {
    route: 'GET /console/:file',
    url: '/console/missing.js',
    expect: [404, 404, 404, 404, 404, 404, 404, 404],
  },
  {
    route: 'POST /console/session',
    case: 'a token that is not valid (the bearer header plays no part)',
    payload: { token: 'avf_not-a-real-token' },
    expect: [401, 401, 401, 401, 401, 401, 401, 401],
  },
  { route: 'GET /console/session', case: 'public: signedIn false without a session', expect: DOCS_PAGE },
  { route: 'DELETE /console/session', expect: [401, 401, 204, 204, 204, 204, 204, 204] },
  {
    route: `POST ${R}/check`,
    payload: requestBody(),
    expect: [401, 401, 200, 403, 200, 200, 403, 403],
  },
  { route: 'GET /docs/static/swagger-initializer.js', expect: DOCS_PAGE },
  { route: 'HEAD,GET /docs/static/*', url: '/docs/static/swagger-ui.css', expect: DOCS_PAGE },
  {
    route: `POST ${R}`,
    payload: requestBody(),
    mutating: true,
    expect: [401, 401, 202, 403, 202, 202, 403, 403],
  },
  {
    route: `POST ${R}`,
    case: 'into an OU that needs approval',
    payload: requestBody({ organizationalUnit: 'Workloads/Prod' }),
    mutating: true,
    expect: [401, 401, 202, 403, 202, 202, 403, 403],
  },
  {
    route: `POST ${R}`,
    case: 'into an OU no team may use',
    payload: requestBody({ organizationalUnit: 'Infrastructure' }),
    mutating: true,
    expect: [401, 401, 403, 403, 400, 400, 403, 403],
  },
  { route: `GET ${R}`, expect: READ_ALL },
  {
    route: `GET ${R}`,
    case: "another team's list",
    url: `${R}?team=payments`,
    expect: [401, 401, 200, 403, 200, 200, 200, 200],
  },
  { route: `GET ${R}/:id`, url: `${R}/${PENDING}`, expect: OWN_TEAM_READ },
  {
    route: `POST ${R}/:id/approve`,
    url: `${R}/${PENDING}/approve`,
    mutating: true,
    expect: [401, 401, 403, 403, 202, 202, 403, 403],
  },
  {
    route: `POST ${R}/:id/reject`,
    url: `${R}/${PENDING}/reject`,
    payload: { reason: 'not this quarter' },
    mutating: true,
    expect: [401, 401, 403, 403, 202, 202, 403, 403],
  },
  {
    route: `POST ${R}/:id/cancel`,
    url: `${R}/${PENDING}/cancel`,
    mutating: true,
    expect: [401, 401, 202, 404, 202, 202, 403, 403],
  },
  {
    route: `POST ${R}/:id/retry`,
    url: `${R}/${FAILED}/retry`,
    mutating: true,
    expect: [401, 401, 202, 404, 202, 202, 403, 403],
  },
  {
    route: `POST ${R}/:id/redeliver`,
    case: 'nothing given up',
    url: `${R}/${FAILED}/redeliver`,
    mutating: true,
    expect: [401, 401, 409, 404, 409, 409, 403, 403],
  },
  { route: 'GET /v1/accounts/:accountId', url: `/v1/accounts/${VENDED_ACCOUNT}`, expect: OWN_TEAM_READ },
  {
    route: 'GET /v1/accounts/:accountId/compliance',
    url: `/v1/accounts/${VENDED_ACCOUNT}/compliance`,
    expect: OWN_TEAM_READ,
  },
  { route: 'GET /v1/audit', expect: [401, 401, 403, 403, 200, 200, 403, 200] },
  { route: 'GET /v1/costs', expect: READ_ALL },
  { route: 'GET /v1/costs/report', url: '/v1/costs/report?format=csv', expect: READ_ALL },
];

function tokenOf(f: Fixture, caller: Caller): string | undefined {
  if (caller === 'none') return undefined;
  if (caller === 'bad') return 'avf_not-a-real-token';
  if (caller === 'admin') return ADMIN_TOKEN;
  return f.tokens[caller];
}

/** Every route the app serves, as `METHOD url` (HEAD twins of GET routes left out). */
async function routesOf(app: FastifyInstance): Promise<string[]> {
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    const method = Array.isArray(route.method) ? route.method.join(',') : route.method;
    if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  await app.ready();
  return routes;
}

const cells = MATRIX.flatMap((row) =>
  CALLERS.map((caller, i) => ({ row, caller, status: row.expect[i] ?? 0 })),
);

describe('authorisation matrix', () => {
  it('covers every route of the app', async () => {
    const f = await fixture();
    const routes = await routesOf(f.app);
    await f.app.close();
    expect([...new Set(MATRIX.map((r) => r.route))].sort()).toEqual([...new Set(routes)].sort());
    expect(cells).toHaveLength(MATRIX.length * CALLERS.length);
  });

  it('lets the auditor read and never write', () => {
    const auditor = CALLERS.indexOf('auditor');
    for (const row of MATRIX.filter((r) => r.mutating)) expect(row.expect[auditor]).toBe(403);
  });

  it.each(
    cells.map(
      (c) => [`${c.row.route}${c.row.case ? ` (${c.row.case})` : ''}`, c.caller, c.status, c] as const,
    ),
  )('%s as %s → %i', async (_route, caller, status, { row }) => {
    const f = await fixture();
    await f.store.create(makeRequestRecord({ id: PENDING, status: 'PENDING_APPROVAL' }));
    await f.store.create(makeRequestRecord({ id: FAILED, status: 'FAILED', phase: 'baseline' }));
    await f.store.create(vended());
    const [method, pattern] = row.route.split(' ') as [string, string];
    const token = tokenOf(f, caller);
    const res = await f.app.inject({
      method: method.startsWith('HEAD,') ? 'GET' : method,
      url: row.url ?? pattern,
      headers: token === undefined ? {} : bearer(token),
      ...(row.payload ? { payload: row.payload } : {}),
    });
    expect(res.statusCode).toBe(status);
    if (row.mutating) {
      const audit = (await f.store.listAudit({ limit: 10 })).items;
      // 401s are counted in /metrics (avf_api_refused_total), never written: anyone can make them
      expect(audit).toEqual(
        status === 401
          ? []
          : [expect.objectContaining({ status, outcome: status < 400 ? 'success' : 'failure' })],
      );
      if (row.payload && status !== 202) expect(await storedRequests(f.store)).toBe(3);
    }
    if (row.case === 'into an OU that needs approval' && status === 202) {
      expect(viewOf(res).status).toBe('PENDING_APPROVAL');
    }
    await f.app.close();
  });
});
