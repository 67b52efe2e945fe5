import { ApiError } from '../../../src/cli/api-client';
import { rolloutHaltCommand, rolloutResumeCommand } from '../../../src/cli/commands/rollout';
import type { RolloutView } from '../../../src/cli/rollout-view';

const rolloutIn = (status: string, waveStatus: string): RolloutView => ({
  id: 'ro-1',
  toVersion: 'b-000000000002',
  status,
  createdAt: '2026-01-01T00:00:00Z',
  fromVersions: { 'b-000000000001': 1 },
  waves: [
    {
      index: 1,
      label: 'canary',
      status: waveStatus,
      accounts: [{ accountId: '111111111111' }],
      results: waveStatus === 'SUCCEEDED' ? { '111111111111': { ok: true, reasons: [] } } : {},
    },
  ],
});

/** The API as the CLI sees it: each call answered in turn, every request recorded. */
function stubApi(...answers: Array<{ status: number; body: unknown }>) {
  const sent: Array<{ method: string; url: string; authorization: string | null }> = [];
  jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const headers = new Headers(init?.headers);
    sent.push({
      method: init?.method ?? 'GET',
      url: (input as URL).href,
      authorization: headers.get('authorization'),
    });
    const answer = answers.shift() ?? { status: 500, body: { error: 'no more answers' } };
    return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }));
  });
  return sent;
}

describe('avf rollout resume / halt', () => {
  const saved = { ...process.env };
  let printed: string[];

  beforeEach(() => {
    Object.assign(process.env, { AVF_API_URL: 'http://avf.test', AVF_TOKEN: 'platform-token' });
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });

  it('POSTs …/resume with the token and prints the rollout running again', async () => {
    const sent = stubApi({ status: 200, body: rolloutIn('RUNNING', 'PENDING') });
    expect(await rolloutResumeCommand('ro-1', false)).toBe(0);
    expect(sent).toEqual([
      {
        method: 'POST',
        url: 'http://avf.test/v1/rollouts/ro-1/resume',
        authorization: 'Bearer platform-token',
      },
    ]);
    expect(printed[0]).toBe('rollout ro-1 → b-000000000002: RUNNING');
    expect(printed).toHaveLength(3);
  });

  it('with --wait follows the rollout to its end; the exit code says whether it succeeded', async () => {
    const sent = stubApi(
      { status: 200, body: rolloutIn('RUNNING', 'PENDING') },
      { status: 200, body: rolloutIn('SUCCEEDED', 'SUCCEEDED') },
    );
    expect(await rolloutResumeCommand('ro-1', true)).toBe(0);
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'POST http://avf.test/v1/rollouts/ro-1/resume',
      'GET http://avf.test/v1/rollouts/ro-1',
    ]);
    expect(printed).toContain('rollout ro-1 → b-000000000002: SUCCEEDED');

    stubApi(
      { status: 200, body: rolloutIn('RUNNING', 'PENDING') },
      { status: 200, body: { ...rolloutIn('HALTED', 'FAILED'), haltReason: 'wave 1 failed' } },
    );
    expect(await rolloutResumeCommand('ro-1', true)).toBe(1);
  });

  it('fails with the API’s answer when the rollout is not halted (409)', async () => {
    const refusal = { error: { code: 'ROLLOUT_NOT_HALTED', message: 'rollout ro-1 is RUNNING' } };
    stubApi({ status: 409, body: refusal });
    const failure = rolloutResumeCommand('ro-1', false);
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 409, body: refusal });
    expect(printed).toEqual([]);
  });

  it('halt POSTs …/halt and prints the halted rollout', async () => {
    const sent = stubApi({ status: 200, body: { ...rolloutIn('HALTED', 'PENDING'), haltReason: 'by hand' } });
    expect(await rolloutHaltCommand('ro-1')).toBe(0);
    expect(sent[0]?.url).toBe('http://avf.test/v1/rollouts/ro-1/halt');
    expect(printed[0]).toBe('rollout ro-1 → b-000000000002: HALTED (by hand)');
  });
});
