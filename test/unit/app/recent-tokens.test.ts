import { authenticate, createToken, hashToken } from '../../../api/auth';
import { RecentTokens, TOKEN_RECHECK_MS } from '../../../api/recent-tokens';
import { MemoryStore } from '../../../src/store/memory-store';

const clock = { now: () => new Date('2025-06-01T09:00:00Z') };

/** A store, a token in it, and RecentTokens on a hand-moved elapsed time. */
async function setup() {
  const store = new MemoryStore();
  const token = await createToken(store, { role: 'platform', name: 'ops' }, clock.now());
  let elapsed = 1_000;
  const recentTokens = new RecentTokens(store, () => elapsed);
  const findToken = jest.spyOn(store, 'findToken');
  return {
    store,
    token,
    recentTokens,
    findToken,
    wait: (ms: number) => (elapsed += ms),
    call: () => authenticate({ store, clock, recentTokens }, `Bearer ${token}`),
  };
}

describe('RecentTokens: a token read a moment ago is not read again', () => {
  it('reads a token once for a burst of calls, and again once TOKEN_RECHECK_MS has passed', async () => {
    const s = await setup();
    for (let i = 0; i < 5; i++) await expect(s.call()).resolves.toMatchObject({ name: 'ops' });
    expect(s.findToken).toHaveBeenCalledTimes(1);
    s.wait(TOKEN_RECHECK_MS);
    await s.call();
    expect(s.findToken).toHaveBeenCalledTimes(2);
  });

  it('refuses a token deleted elsewhere (another process) once TOKEN_RECHECK_MS has passed', async () => {
    const s = await setup();
    await s.call();
    await s.store.deleteToken(hashToken(s.token));
    s.wait(TOKEN_RECHECK_MS - 1);
    await expect(s.call()).resolves.toMatchObject({ name: 'ops' });
    s.wait(1);
    await expect(s.call()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(s.call()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a revoked token at once after forgetAll (a revocation through this API)', async () => {
    const s = await setup();
    await s.call();
    await s.store.deleteToken(hashToken(s.token));
    s.recentTokens.forgetAll();
    await expect(s.call()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('never remembers an unknown token: one created afterwards works on its first call', async () => {
    const s = await setup();
    await expect(s.recentTokens.find('0'.repeat(64))).resolves.toBeUndefined();
    await expect(s.recentTokens.find('0'.repeat(64))).resolves.toBeUndefined();
    expect(s.findToken).toHaveBeenCalledTimes(2);
  });

  it('records a use once a minute, not on every call served from memory', async () => {
    const s = await setup();
    const touch = jest.spyOn(s.store, 'touchToken');
    for (let i = 0; i < 3; i++) await s.call();
    expect(touch).toHaveBeenCalledTimes(1);
    expect((await s.store.findToken(hashToken(s.token)))?.lastUsedAt).toBe(clock.now().toISOString());
  });
});
