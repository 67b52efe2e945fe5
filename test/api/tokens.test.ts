import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../api/app';
import { createToken, hashToken } from '../../api/auth';
import { ConflictError, ValidationError } from '../../src/domain/errors';
import { listTokensCommand, revokeTokenCommand, createTokenCommand } from '../../src/cli/commands/token';
import { MemoryStore } from '../../src/store/memory-store';
import { openStore } from '../../src/store/open-store';
import { tokenId, type TokenView } from '../../src/workflow/intake';
import { ADMIN_TOKEN, bearer, errorOf, exampleConfig } from './fixture';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-10T08:00:00Z');

/** An app whose clock the test moves. */
async function tokenFixture() {
  const store = new MemoryStore();
  const clock = { time: T0, now: () => new Date(clock.time) };
  const app = buildApp({ store, config: exampleConfig, clock, adminToken: ADMIN_TOKEN });
  const at = (s: number) => new Date(T0 + s * 1000);
  const platform = await createToken(store, { role: 'platform', name: 'platform-engineer' }, at(-3));
  const ci = await createToken(store, { role: 'requester', team: 'payments', name: 'ci' }, at(-2));
  const short = await createToken(store, { role: 'auditor', expiresInDays: 7 }, at(-1));
  const get = (url: string, token: string) => app.inject({ method: 'GET', url, headers: bearer(token) });
  const del = (url: string, token: string) => app.inject({ method: 'DELETE', url, headers: bearer(token) });
  return { store, clock, app, platform, ci, short, get, del };
}

describe('token expiry and last use', () => {
  it('expires a token after its days (90 by default) with a 401 that says when', async () => {
    const f = await tokenFixture();
    expect((await f.get('/v1/audit', f.short)).statusCode).toBe(200);
    f.clock.time = T0 + 7 * DAY - 1000;
    const expired = await f.get('/v1/audit', f.short);
    expect(expired.statusCode).toBe(401);
    expect(errorOf(expired).message).toBe(
      'the bearer token expired at 2026-01-17T07:59:59.000Z; ask for a new one (avf token create)',
    );
    f.clock.time = T0 + 90 * DAY - 3000;
    expect((await f.get('/v1/account-requests', f.ci)).statusCode).toBe(200);
    f.clock.time = T0 + 90 * DAY - 2000;
    expect((await f.get('/v1/account-requests', f.ci)).statusCode).toBe(401);
    await f.app.close();
  });

  it('treats a token stored without an expiry as expiring 90 days after it was created', async () => {
    const f = await tokenFixture();
    await f.store.putToken({
      hash: hashToken('avf_legacy'),
      role: 'auditor',
      name: 'legacy',
      createdAt: new Date(T0).toISOString(),
    });
    f.clock.time = T0 + 89 * DAY;
    expect((await f.get('/v1/audit', 'avf_legacy')).statusCode).toBe(200);
    f.clock.time = T0 + 90 * DAY;
    expect((await f.get('/v1/audit', 'avf_legacy')).statusCode).toBe(401);
    await f.app.close();
  });

  it('records the last use, to the minute', async () => {
    const f = await tokenFixture();
    expect((await f.store.findToken(hashToken(f.ci)))?.lastUsedAt).toBeUndefined();
    await f.get('/v1/account-requests', f.ci);
    expect((await f.store.findToken(hashToken(f.ci)))?.lastUsedAt).toBe('2026-01-10T08:00:00.000Z');
    f.clock.time = T0 + 30_000;
    await f.get('/v1/account-requests', f.ci);
    expect((await f.store.findToken(hashToken(f.ci)))?.lastUsedAt).toBe('2026-01-10T08:00:00.000Z');
    f.clock.time = T0 + 61_000;
    await f.get('/v1/account-requests', f.ci);
    expect((await f.store.findToken(hashToken(f.ci)))?.lastUsedAt).toBe('2026-01-10T08:01:01.000Z');
    await f.app.close();
  });

  it('refuses an expiry outside 1-366 whole days', async () => {
    const store = new MemoryStore();
    for (const days of [0, -1, 1.5, 367]) {
      await expect(createToken(store, { role: 'auditor', expiresInDays: days })).rejects.toThrow(
        ValidationError,
      );
    }
    expect(await store.listTokens()).toEqual([]);
  });
});

describe('token names', () => {
  it('are unique: a taken name is a conflict, a default one is numbered', async () => {
    const store = new MemoryStore();
    await createToken(store, { role: 'requester', team: 'payments', name: 'ci' });
    await expect(createToken(store, { role: 'auditor', name: 'ci' })).rejects.toMatchObject({
      constructor: ConflictError,
      code: 'TOKEN_NAME_IN_USE',
    });
    await createToken(store, { role: 'requester', team: 'payments' });
    await createToken(store, { role: 'requester', team: 'payments' });
    expect((await store.listTokens()).map((t) => t.name).sort()).toEqual([
      'ci',
      'requester:payments',
      'requester:payments-2',
    ]);
  });
});

describe('GET /v1/tokens and DELETE /v1/tokens/{id}', () => {
  it('lists every token for platform, without hashes', async () => {
    const f = await tokenFixture();
    await f.get('/v1/account-requests', f.ci);
    const res = await f.get('/v1/tokens', f.platform);
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: TokenView[] }>().items;
    expect(items.map((t) => [t.name, t.role, t.team, t.expiresAt, t.expired])).toEqual([
      ['platform-engineer', 'platform', undefined, '2026-04-10T07:59:57.000Z', false],
      ['ci', 'requester', 'payments', '2026-04-10T07:59:58.000Z', false],
      ['auditor', 'auditor', undefined, '2026-01-17T07:59:59.000Z', false],
    ]);
    expect(items.find((t) => t.name === 'ci')?.lastUsedAt).toBe('2026-01-10T08:00:00.000Z');
    expect(items.find((t) => t.name === 'ci')?.id).toBe(tokenId({ hash: hashToken(f.ci) }));
    expect(res.body).not.toContain(hashToken(f.ci));
    expect((await f.get('/v1/tokens', f.ci)).statusCode).toBe(403);
    await f.app.close();
  });

  it('revokes by id or by name: the token is refused from the next call, and the revocation is audited', async () => {
    const f = await tokenFixture();
    const id = tokenId({ hash: hashToken(f.ci) });
    expect((await f.del(`/v1/tokens/${id}`, f.ci)).statusCode).toBe(403);
    const revoked = await f.del(`/v1/tokens/${id}`, f.platform);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<TokenView>()).toMatchObject({ id, name: 'ci', role: 'requester', team: 'payments' });
    expect((await f.get('/v1/account-requests', f.ci)).statusCode).toBe(401);
    expect((await f.del(`/v1/tokens/${id}`, f.platform)).statusCode).toBe(404);

    expect((await f.del('/v1/tokens/auditor', f.platform)).statusCode).toBe(200);
    expect((await f.get('/v1/audit', f.short)).statusCode).toBe(401);
    const audit = (await f.store.listAudit({ limit: 10 })).items.filter((e) => e.action === 'token.revoke');
    // one clock time for all: compare without order
    expect(audit.map((e) => [e.actor, e.target, e.status]).sort()).toEqual([
      ['ci', id, 403],
      ['platform-engineer', 'auditor', 200],
      ['platform-engineer', id, 200],
      ['platform-engineer', id, 404],
    ]);
    await f.app.close();
  });
});

describe('AVF_ADMIN_TOKEN', () => {
  it('is refused when shorter than 32 characters, with a message saying how to make one', () => {
    const store = new MemoryStore();
    const build = (adminToken: string) =>
      buildApp({ store, config: exampleConfig, clock: { now: () => new Date() }, adminToken });
    expect(() => build('a')).toThrow(
      'AVF_ADMIN_TOKEN has 1 characters; it needs at least 32 (e.g. `openssl rand -base64 32`), or leave it unset and use `avf token create`',
    );
    expect(() => build('x'.repeat(31))).toThrow(/needs at least 32/);
    expect(() => build('x'.repeat(32))).not.toThrow();
    expect(() => build('')).not.toThrow(); // empty: no admin token
  });
});

describe('avf token list / revoke', () => {
  it('list and revoke by name or id against a SQLite store', async () => {
    const spec = `sqlite:${join(mkdtempSync(join(tmpdir(), 'avf-tokens-')), 'avf.db')}`;
    await createTokenCommand({ role: 'requester', team: 'payments', name: 'ci', store: spec });
    await createTokenCommand({ role: 'auditor', store: spec, expiresInDays: 30 });
    const listed = await listTokensCommand({ store: spec });
    expect(listed.split('\n')).toEqual([
      expect.stringMatching(
        /^tok_[0-9a-f]{16} {2}ci {2}requester:payments {2}created \S+ {2}expires \S+ {2}never used$/,
      ),
      expect.stringMatching(
        /^tok_[0-9a-f]{16} {2}auditor {2}auditor {2}created \S+ {2}expires \S+ {2}never used$/,
      ),
    ]);
    const json = JSON.parse(await listTokensCommand({ store: spec, json: true })) as TokenView[];
    expect(await revokeTokenCommand('ci', { store: spec })).toBe(`revoked ${json[0]?.id} (ci)`);
    expect(await revokeTokenCommand(json[1]?.id ?? '', { store: spec })).toBe(
      `revoked ${json[1]?.id} (auditor)`,
    );
    await expect(revokeTokenCommand('ci', { store: spec })).rejects.toThrow('token ci was not found');
    const store = await openStore(spec);
    expect(await store.listTokens()).toEqual([]);
    await store.close();
  });
});
