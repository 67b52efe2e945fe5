import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiError } from '../../../src/cli/api-client';
import { statusCommand } from '../../../src/cli/commands/client';
import { listRequestsCommand, requestActionCommand } from '../../../src/cli/commands/requests';
import { formatRollout } from '../../../src/cli/rollout-view';
import { reportError } from '../../../src/cli/report-error';

const view = (status: string, extra: object = {}) => ({
  id: 'req-0123456789abcdef',
  status,
  phase: 'create-account',
  request: {
    accountName: 'payments-dev',
    email: 'a@example.com',
    organizationalUnit: 'Workloads/Prod',
    budget: { monthlyLimitUsd: 100, thresholdsPercent: [80, 100] },
    access: [],
  },
  steps: [],
  ...extra,
});

/** The API as the CLI sees it: each call answered in turn, every request recorded. */
function stubApi(...answers: Array<{ status: number; body: unknown }>) {
  const sent: Array<{ method: string; url: string; body?: string }> = [];
  jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    sent.push({
      method: init?.method ?? 'GET',
      url: (input as URL).href,
      ...(init?.body ? { body: init.body as string } : {}),
    });
    const answer = answers.shift() ?? {
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'no more answers' } },
    };
    return Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }));
  });
  return sent;
}

describe('avf requests / approve / reject / cancel / status --wait', () => {
  const saved = { ...process.env };
  let printed: string[];
  beforeEach(() => {
    Object.assign(process.env, { AVF_API_URL: 'http://avf.test', AVF_TOKEN: 'a-token' });
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });

  it('lists requests one line each, and passes the filters on', async () => {
    const sent = stubApi({ status: 200, body: { items: [view('QUEUED')], nextCursor: 'c2' } });
    expect(await listRequestsCommand({ status: 'QUEUED', limit: 5 })).toBe(0);
    expect(sent[0]!.url).toBe('http://avf.test/v1/account-requests?status=QUEUED&limit=5');
    expect(printed[0]).toMatch(/^req-0123456789abcdef\s+QUEUED\s+create-account\s+payments-dev/);
    expect(printed[1]).toBe('more: --cursor c2');
  });

  it('prints the JSON for scripts with --json', async () => {
    stubApi({ status: 200, body: { items: [view('READY')] } });
    await listRequestsCommand({ json: true });
    expect(JSON.parse(printed.join('\n'))).toEqual({ items: [view('READY')] });
  });

  it('rejects with the reason in the body', async () => {
    const sent = stubApi({
      status: 202,
      body: view('FAILED', { error: { code: 'REJECTED', message: 'rejected by p: no' } }),
    });
    expect(await requestActionCommand('reject', 'req-0123456789abcdef', { reason: 'no' })).toBe(0);
    expect(sent[0]).toEqual({
      method: 'POST',
      url: 'http://avf.test/v1/account-requests/req-0123456789abcdef/reject',
      body: '{"reason":"no"}',
    });
    expect(printed).toContain('  error          REJECTED: rejected by p: no');
  });

  it('status --wait waits through approval, saying who must approve, until READY', async () => {
    stubApi(
      { status: 200, body: view('PENDING_APPROVAL') },
      { status: 200, body: view('PENDING_APPROVAL') },
      { status: 200, body: view('PENDING_APPROVAL') },
      { status: 200, body: view('READY', { accountId: '123456789012' }) },
    );
    expect(await statusCommand('req-0123456789abcdef', { wait: true })).toBe(0);
    expect(
      printed.filter((l) => /waiting for approval by a platform token \(avf approve req-/.test(l)),
    ).toHaveLength(1);
    expect(printed).toContain('request req-0123456789abcdef: READY');
  });

  it('summarises a long step detail for people', async () => {
    const detail = 'x'.repeat(1800);
    stubApi({
      status: 200,
      body: view('IN_PROGRESS', { steps: [{ name: 'baseline', status: 'RUNNING', detail }] }),
    });
    await statusCommand('req-0123456789abcdef', { wait: false });
    expect(printed[0]!.length).toBeLessThan(260);
    expect(printed[0]).toMatch(/… \(\+\d+ chars, --json for all\)$/);
  });

  it('tells an API refusal in one line with what to do, no stack trace', () => {
    const errors: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    const code = reportError(
      new ApiError(401, { error: { code: 'UNAUTHORIZED', message: 'unknown token' } }),
      false,
    );
    expect(code).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^avf: the API answered 401 UNAUTHORIZED: unknown token \(check AVF_TOKEN: .*same store/,
    );
  });

  it('shows the new version after a successful rollout', () => {
    const lines = formatRollout({
      id: 'ro-1',
      toVersion: 'b-2',
      status: 'SUCCEEDED',
      createdAt: '2026-01-01T00:00:00Z',
      fromVersions: { 'b-1': 3 },
      waves: [],
    });
    expect(lines[1]).toBe('  accounts       3 now on b-2 (were 3 on b-1)');
  });
});

describe('the avf command itself', () => {
  const avf = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    promisify(execFile)(process.execPath, [join(__dirname, '../../../bin/avf.js'), ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('prints its version', async () => {
    expect((await avf(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('says in one line what to do without a token or an API, exit 2; --debug adds the trace', async () => {
    const noToken = await avf(['status', 'req-1']);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr.trim()).toBe(
      'avf: no API token: set AVF_TOKEN to a token from `avf token create` (the demo prints ready-to-paste exports)',
    );
    const unreachable = await avf(['requests', 'list'], {
      AVF_TOKEN: 't',
      AVF_API_URL: 'http://127.0.0.1:59997',
    });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^avf: cannot reach the API at http:\/\/127.0.0.1:59997 \(ECONNREFUSED\): start it with `avf serve`/,
      ),
    ]);
    const debug = await avf(['--debug', 'requests', 'list'], {
      AVF_TOKEN: 't',
      AVF_API_URL: 'http://127.0.0.1:59997',
    });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
