import { driftHistoryCommand, driftStartCommand } from '../../../src/cli/commands/drift';

describe('avf drift start / history', () => {
  const saved = { ...process.env };
  const out: string[] = [];
  const err: string[] = [];
  let requests: string[];

  /** The API answers every call with `status` and `body`; the requests are recorded. */
  function apiAnswers(status: number, body: unknown): void {
    jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      requests.push(`${init?.method ?? 'GET'} ${input instanceof Request ? input.url : input.toString()}`);
      return Promise.resolve(new Response(JSON.stringify(body), { status }));
    });
  }

  beforeEach(() => {
    Object.assign(process.env, { AVF_API_URL: 'http://avf.test', AVF_TOKEN: 'platform-token' });
    requests = [];
    out.length = 0;
    err.length = 0;
    jest.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.env = { ...saved };
  });

  it('POSTs /v1/drift/sweeps and prints the sweep started', async () => {
    apiAnswers(202, { id: 'sw-1', startedAt: 'T0', accountsChecked: 0, findingsTotal: 0 });
    expect(await driftStartCommand({ wait: false })).toBe(0);
    expect(requests).toEqual(['POST http://avf.test/v1/drift/sweeps']);
    expect(out).toEqual(['drift sweep sw-1 started']);
  });

  it('fails with exit code 1 and the API’s message when a sweep is running (409)', async () => {
    const message = 'drift sweep sw-0 is running (started T0, 3 account(s) checked); wait for it to finish';
    apiAnswers(409, { error: { code: 'DRIFT_SWEEP_RUNNING', message } });
    expect(await driftStartCommand({ wait: false })).toBe(1);
    expect(err).toEqual([`avf: ${message}`]);
    expect(out).toEqual([]);
  });

  it('asks for one account’s findings and prints how to get the next page', async () => {
    apiAnswers(200, { items: [], nextCursor: 'abc' });
    expect(await driftHistoryCommand({ account: '111111111111', limit: 5 })).toBe(0);
    expect(requests).toEqual(['GET http://avf.test/v1/drift/sweeps?limit=5&accountId=111111111111']);
    expect(out).toEqual(['no finished drift sweep', 'more: avf drift history --cursor abc']);
  });
});
