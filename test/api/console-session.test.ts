import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../api/app';
import { createToken } from '../../api/auth';
import { CONSOLE_CSP } from '../../api/console/page';
import { RecentTokens, TOKEN_RECHECK_MS } from '../../api/recent-tokens';
import { MemoryStore } from '../../src/store/memory-store';
import { ADMIN_TOKEN, bearer, errorOf, exampleConfig, requestBody, storedRequests } from './fixture';

/** An app whose clock the test moves, a requester token of payments, and a log it can read. */
async function setup() {
  const store = new MemoryStore();
  const clock = { time: Date.parse('2025-06-01T09:00:00Z'), now: () => new Date(clock.time) };
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = buildApp({
    store,
    config: exampleConfig,
    clock,
    adminToken: ADMIN_TOKEN,
    logger: { level: 'trace', stream },
    // Tokens are read again TOKEN_RECHECK_MS after they were read, on this clock.
    recentTokens: new RecentTokens(store, () => clock.time),
  });
  const token = await createToken(store, { role: 'requester', team: 'payments' });
  return { app, store, clock, token, log: () => lines.join('') };
}

type Setup = Awaited<ReturnType<typeof setup>>;

function cookieOf(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';')[0] ?? '';
}

async function signIn(s: Setup, token = s.token) {
  const res = await s.app.inject({ method: 'POST', url: '/console/session', payload: { token } });
  return { res, cookie: cookieOf(res), csrf: res.json<{ csrf: string }>().csrf };
}

describe('console sessions', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(() => s.app.close());

  it('exchanges a token for an HttpOnly, SameSite=Strict cookie with an expiry, and never echoes the token', async () => {
    const { res, csrf } = await signIn(s);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^avf_session=[\w-]{43}; Max-Age=28800; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(res.json()).toEqual({
      signedIn: true,
      principal: { role: 'requester', team: 'payments', name: 'requester:payments' },
      csrf,
      expiresAt: '2025-06-01T17:00:00.000Z',
    });
    expect(res.body).not.toContain(s.token);
    expect(setCookie).not.toContain(s.token);
  });

  it('answers 401 to a token that is not valid, and sets no cookie', async () => {
    const { res } = await signIn(s, 'avf_not-a-token');
    expect(res.statusCode).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('authorises cookie calls exactly as the token: own team yes, another team 403', async () => {
    const { cookie } = await signIn(s);
    const own = await s.app.inject({ method: 'GET', url: '/v1/account-requests', headers: { cookie } });
    expect(own.statusCode).toBe(200);
    const other = await s.app.inject({
      method: 'GET',
      url: '/v1/account-requests?team=search',
      headers: { cookie },
    });
    expect(other.statusCode).toBe(403);
    const metrics = await s.app.inject({ method: 'GET', url: '/metrics', headers: { cookie } });
    expect(metrics.statusCode).toBe(403);
  });

  it('refuses a change without the CSRF header (403, nothing written) and accepts it with the header', async () => {
    const { cookie, csrf } = await signIn(s);
    const payload = requestBody();
    const bare = await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: { cookie },
      payload,
    });
    expect(bare.statusCode).toBe(403);
    expect(errorOf(bare).message).toContain('x-csrf-token');
    const wrong = await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: { cookie, 'x-csrf-token': 'guessed' },
      payload,
    });
    expect(wrong.statusCode).toBe(403);
    expect(await storedRequests(s.store)).toBe(0);
    const ok = await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: { cookie, 'x-csrf-token': csrf },
      payload,
    });
    expect(ok.statusCode).toBe(202);
    expect(ok.json<{ createdBy: string }>().createdBy).toBe('requester:payments');
  });

  it('ends after 8 hours', async () => {
    const { cookie } = await signIn(s);
    const list = () => s.app.inject({ method: 'GET', url: '/v1/account-requests', headers: { cookie } });
    s.clock.time += 8 * 3600_000 - 1000;
    expect((await list()).statusCode).toBe(200);
    s.clock.time += 1000;
    const late = await list();
    expect(late.statusCode).toBe(401);
    expect(errorOf(late).message).toContain('expired');
    const session = await s.app.inject({ method: 'GET', url: '/console/session', headers: { cookie } });
    expect(session.json()).toEqual({ signedIn: false });
  });

  it('tells a browser without a session that it is signed out, without an error status', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/console/session' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ signedIn: false });
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const { cookie, csrf } = await signIn(s);
    const out = await s.app.inject({
      method: 'DELETE',
      url: '/console/session',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^avf_session=; Max-Age=0;/);
    const after = await s.app.inject({ method: 'GET', url: '/v1/account-requests', headers: { cookie } });
    expect(after.statusCode).toBe(401);
  });

  it('prefers a bearer token over a cookie, so API clients are never subject to the CSRF check', async () => {
    const { cookie } = await signIn(s);
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: { cookie, ...bearer(ADMIN_TOKEN) },
      payload: requestBody(),
    });
    expect(res.statusCode).toBe(202);
    expect(res.json<{ createdBy: string }>().createdBy).toBe('AVF_ADMIN_TOKEN');
  });

  it('stops working once the token behind it is gone from the store (and TOKEN_RECHECK_MS has passed)', async () => {
    const { cookie } = await signIn(s);
    jest.spyOn(s.store, 'findToken').mockResolvedValue(undefined);
    s.clock.time += TOKEN_RECHECK_MS;
    const res = await s.app.inject({ method: 'GET', url: '/v1/account-requests', headers: { cookie } });
    expect(res.statusCode).toBe(401);
  });

  it('keeps the token, the cookie and the CSRF token out of the logs', async () => {
    const { cookie, csrf } = await signIn(s);
    await s.app.inject({ method: 'GET', url: '/console/session', headers: { cookie } });
    await s.app.inject({ method: 'POST', url: '/v1/account-requests', headers: { cookie }, payload: {} });
    const log = s.log();
    expect(log).toContain('audit: console.sign-in success by requester:payments');
    for (const secret of [s.token, cookie.split('=')[1] ?? 'x', csrf]) expect(log).not.toContain(secret);
  });
});

describe('the console page and the docs', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup();
  });
  afterAll(() => s.app.close());

  it('serves the page at / with a strict policy, and its hashed script and styles', async () => {
    const page = await s.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    const script = /src="(\/console\/main-\w+\.js)"/.exec(page.body)?.[1] ?? '';
    const style = /href="(\/console\/main-\w+\.css)"/.exec(page.body)?.[1] ?? '';
    const js = await s.app.inject({ method: 'GET', url: script });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await s.app.inject({ method: 'GET', url: style })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/console/nothing.js' })).statusCode).toBe(404);
  });

  it('opens /docs and /openapi.json without a token; the API behind them still needs one', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    const docs = await s.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/v1/account-requests' })).statusCode).toBe(401);
  });
});

describe('POST /v1/account-requests/check', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(() => s.app.close());

  it('answers the request as it would be accepted (config defaults applied), and stores nothing', async () => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests/check',
      headers: bearer(s.token),
      payload: { ...requestBody(), budget: undefined },
    });
    expect(res.statusCode).toBe(200);
    const answer = res.json<{
      valid: boolean;
      problems: unknown[];
      request: { budget: { monthlyLimitUsd: number } };
    }>();
    expect(answer.valid).toBe(true);
    expect(answer.problems).toEqual([]);
    expect(answer.request.budget.monthlyLimitUsd).toBe(100);
    expect(await storedRequests(s.store)).toBe(0);
  });

  it.each([
    ['its shape', { ...requestBody(), email: 'not-an-email', costCenter: '' }],
    ["the config's rules", { ...requestBody(), accountName: 'Bad Name!', organizationalUnit: 'Nowhere' }],
  ])('names every problem the submission would, by field (%s), with 200', async (_case, body) => {
    const check = await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests/check',
      headers: bearer(s.token),
      payload: body,
    });
    const submit = await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: bearer(s.token),
      payload: body,
    });
    expect(check.statusCode).toBe(200);
    expect(submit.statusCode).toBe(400);
    const answer = check.json<{ valid: boolean; problems: { path: string }[] }>();
    expect(answer.valid).toBe(false);
    expect(answer.problems.length).toBeGreaterThanOrEqual(2);
    expect(answer.problems).toEqual(errorOf(submit).problems);
    expect(await storedRequests(s.store)).toBe(0);
  });

  it('names an email already in use, on the email field', async () => {
    await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: bearer(s.token),
      payload: requestBody(),
    });
    const check = await s.app.inject({
      method: 'POST',
      url: '/v1/account-requests/check',
      headers: bearer(s.token),
      payload: { ...requestBody(), accountName: 'another-one' },
    });
    expect(check.json()).toEqual({
      valid: false,
      problems: [{ path: 'body.email', message: expect.stringContaining('already used') }],
    });
  });
});
