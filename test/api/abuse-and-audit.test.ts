import { Writable } from 'node:stream';
import type { AuditEntry } from '../../src/domain/ports/request-store';
import { bearer, call, errorOf, fixture, fixturePerTest, requestBody, submit } from './fixture';

describe('rate limits', () => {
  it('fails with 429 and Retry-After once a token exceeds its limit, leaving other tokens alone', async () => {
    const f = await fixture({ rateLimit: { perToken: 3 } });
    for (let i = 0; i < 3; i++)
      expect((await call(f.app, 'GET', '/v1/account-requests', f.tokens.auditor)).statusCode).toBe(200);
    const limited = await call(f.app, 'GET', '/v1/account-requests', f.tokens.auditor);
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited).code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call(f.app, 'GET', '/v1/account-requests', f.tokens.finance)).statusCode).toBe(200);
    await f.app.close();
  });

  it('limits callers without a valid token by IP, so tokens cannot be guessed quickly', async () => {
    const f = await fixture({ rateLimit: { perIp: 2 } });
    const guess = (n: number) => call(f.app, 'GET', '/v1/account-requests', `avf_guess-${n}`);
    expect([(await guess(1)).statusCode, (await guess(2)).statusCode, (await guess(3)).statusCode]).toEqual([
      401, 401, 429,
    ]);
    await f.app.close();
  });
});

/** A stream for fastify's logger, and the lines written to it. */
function logCapture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, stream };
}

describe('logs', () => {
  it('never contain a token, on success or on any failure', async () => {
    const { lines, stream } = logCapture();
    const f = await fixture({ logger: { level: 'trace', stream } });
    const badToken = 'avf_a-secret-that-is-not-valid';
    jest.spyOn(f.store, 'get').mockRejectedValueOnce(new Error('disk I/O error'));
    await submit(f.app, f.tokens.payments, requestBody(), 'idem-key-secret');
    await submit(f.app, f.tokens.payments, { broken: true });
    await call(f.app, 'GET', '/v1/account-requests/req-0123456789abcdef', f.tokens.platform); // 500
    await call(f.app, 'GET', '/v1/account-requests', badToken);
    await f.app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: bearer(f.tokens.auditor),
      payload: '{',
    });
    f.app.log.info({ req: { headers: { authorization: `Bearer ${f.tokens.finance}` } } }, 'a careless line');
    await f.app.close();
    const log = lines.join('');
    expect(log).toContain('unhandled error');
    expect(log).toContain('audit: account-request.submit');
    for (const secret of [...Object.values(f.tokens), badToken, 'idem-key-secret']) {
      expect(log).not.toContain(secret);
    }
  });

  it('never contain a header but Host, whatever request serialiser the caller passes', async () => {
    const { lines, stream } = logCapture();
    const headersToo = (req: { headers?: unknown }) => ({ headers: req.headers });
    const f = await fixture({ logger: { level: 'info', stream, serializers: { req: headersToo } } });
    f.app.get('/echo-request', { config: { public: true } }, (request) => {
      request.log.info({ req: request }, 'a line with the request');
      return {};
    });
    await call(f.app, 'GET', '/v1/account-requests', f.tokens.platform);
    await call(f.app, 'GET', '/echo-request', f.tokens.platform);
    await f.app.close();
    const parsed = lines.map((line) => JSON.parse(line) as { msg: string } & Record<string, unknown>);
    const completed = parsed.find((line) => line.msg === 'request completed');
    expect(completed).toMatchObject({
      method: 'GET',
      url: '/v1/account-requests',
      remoteAddress: '127.0.0.1',
      statusCode: 200,
    });
    expect(parsed.find((line) => line.msg === 'a line with the request')?.req).toEqual({
      method: 'GET',
      url: '/echo-request',
      host: 'localhost:80',
      remoteAddress: '127.0.0.1',
    });
    expect(lines.join('')).not.toContain(f.tokens.platform);
  });
});

describe('a token use that cannot be recorded', () => {
  it('is logged as a warning, and the call is answered', async () => {
    const { lines, stream } = logCapture();
    const f = await fixture({ logger: { level: 'info', stream } });
    jest.spyOn(f.store, 'touchToken').mockRejectedValueOnce(new Error('database is locked'));
    const res = await call(f.app, 'GET', '/v1/account-requests', f.tokens.platform);
    await f.app.close();
    expect(res.statusCode).toBe(200);
    const warnings = lines
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string } })
      .filter((line) => line.msg === 'auth: the token use was not recorded');
    expect(warnings).toEqual([
      expect.objectContaining({ level: 40, err: expect.objectContaining({ message: 'database is locked' }) }),
    ]);
  });
});

describe('the request log', () => {
  it('writes one line per answered request, with the request, its status and response time', async () => {
    const { lines, stream } = logCapture();
    const f = await fixture({ logger: { level: 'info', stream } });
    await call(f.app, 'GET', '/healthz');
    await call(f.app, 'GET', '/v1/account-requests/req-0123456789abcdef', f.tokens.platform); // 404
    await call(f.app, 'GET', '/v1/account-requests', 'avf_not-a-token'); // 401
    await f.app.close();
    const requests = lines
      .map(
        (line) =>
          JSON.parse(line) as {
            msg: string;
            method?: string;
            url?: string;
            statusCode?: number;
            reqId?: string;
            responseTime?: number;
          },
      )
      .filter((line) => line.statusCode !== undefined);
    expect(requests.map((line) => [line.msg, line.method, line.url, line.statusCode])).toEqual([
      ['request completed', 'GET', '/healthz', 200],
      ['request completed', 'GET', '/v1/account-requests/req-0123456789abcdef', 404],
      ['request completed', 'GET', '/v1/account-requests', 401],
    ]);
    expect(requests.every((l) => typeof l.reqId === 'string' && typeof l.responseTime === 'number')).toBe(
      true,
    );
    expect(lines.join('')).not.toContain('incoming request');
  });
});

describe('GET /v1/audit', () => {
  const f = fixturePerTest();
  const entries = async (query = '') =>
    (await call(f.app, 'GET', `/v1/audit${query}`, f.tokens.auditor)).json<{
      items: AuditEntry[];
      nextCursor?: string;
    }>();

  it('records every mutating call, success and failure, with who, what, when and outcome', async () => {
    const ok = await submit(f.app, f.tokens.payments, requestBody());
    await submit(f.app, f.tokens.auditor, requestBody());
    await call(f.app, 'POST', `/v1/account-requests/${ok.json<{ id: string }>().id}/approve`); // 401: counted
    await call(f.app, 'GET', '/v1/account-requests', f.tokens.payments); // reads are not audited
    const { items } = await entries();
    expect(items.map((e) => [e.action, e.actor, e.outcome, e.status, e.detail])).toEqual([
      ['account-request.submit', 'auditor', 'failure', 403, 'FORBIDDEN'],
      ['account-request.submit', 'requester:payments', 'success', 202, undefined],
    ]);
    expect(items[1]).toMatchObject({
      role: 'requester',
      team: 'payments',
      target: ok.json<{ id: string }>().id,
    });
    expect(items[1]?.at).toMatch(/^2025-06-01T09:/);
    // kept api.audit.retentionDays (365 in the example config's defaults)
    expect(Date.parse(items[1]?.expiresAt ?? '') - Date.parse(items[1]?.at ?? '')).toBe(365 * 86_400_000);
  });

  it('counts calls without a valid token and rate-limited calls in /metrics, writing no row for them', async () => {
    const limited = await fixture({ rateLimit: { perIp: 100 } });
    const refused = async (reason: string) => {
      const text = (await call(limited.app, 'GET', '/metrics', limited.tokens.auditor)).body;
      return Number(new RegExp(`avf_api_refused_total\\{reason="${reason}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    };
    const before = await refused('unauthenticated');
    for (let i = 0; i < 150; i++) {
      const res = await submit(limited.app, `avf_bad-${i}`, requestBody());
      expect(res.statusCode).toBe(i < 100 ? 401 : 429);
    }
    expect(await refused('unauthenticated')).toBe(before + 100);
    expect(await refused('rate_limited')).toBeGreaterThanOrEqual(50);
    expect((await limited.store.listAudit({ limit: 100 })).items).toEqual([]);
    await limited.app.close();
  });

  it('pages newest first', async () => {
    for (let i = 0; i < 5; i++) await submit(f.app, f.tokens.auditor, requestBody());
    const first = await entries('?limit=3');
    const second = await entries(`?limit=3&cursor=${first.nextCursor ?? ''}`);
    expect(first.items).toHaveLength(3);
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeUndefined();
  });

  it('fails with 400 on a cursor it did not issue', async () => {
    const res = await call(f.app, 'GET', '/v1/audit?cursor=forged', f.tokens.platform);
    expect(res.statusCode).toBe(400);
    expect(errorOf(res).problems?.[0]?.path).toBe('querystring.cursor');
  });
});
