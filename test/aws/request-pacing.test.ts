import { BudgetsAdapter } from '../../src/aws/budgets';
import { createClientFactory, PACING_MIDDLEWARE, type ClientFactory } from '../../src/aws/clients';
import { OrganizationsAdapter } from '../../src/aws/organizations';
import { ApiRateLimiter, type ApiRates, type Timer } from '../../src/aws/rate-limited';
import { VirtualTime } from '../../scripts/sim/virtual-time';

/**
 * The real adapters and SDK clients, middleware stack included, answered in memory at the HTTP
 * handler (aws-sdk-client-mock replaces `send` and so would skip the middleware that paces).
 */

/** What a fake AWS answers to one request of AWS's JSON protocol: its operation and input. */
type Answer = (operation: string, input: { NextToken?: string }) => { status?: number; body: object };

interface Sent {
  operation: string;
  at: number;
}

/** Points `client` at an in-memory AWS: every request it sends is logged with its (virtual) time. */
function answerFrom(client: { config: object }, answer: Answer, sent: Sent[], now: () => number): void {
  const handler = {
    handle: (request: { headers: Record<string, string>; body?: Uint8Array | string }) => {
      const operation = request.headers['x-amz-target']?.split('.')[1] ?? 'unknown';
      sent.push({ operation, at: now() });
      const text = typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
      const input = JSON.parse(text || '{}') as object;
      const { status = 200, body } = answer(operation, input);
      const headers = { 'content-type': 'application/x-amz-json-1.1' };
      return Promise.resolve({
        response: { statusCode: status, headers, body: Buffer.from(JSON.stringify(body)) },
      });
    },
  };
  Object.assign(client.config, { requestHandler: handler });
}

/** `total` pages of `key`, one item each, the next page's token `p<n>`. */
const pages =
  (total: number, key: string, item: (n: number) => object): Answer =>
  (_operation, input) => {
    const n = Number(input.NextToken?.slice(1) ?? 1);
    return { body: { [key]: [item(n)], ...(n < total ? { NextToken: `p${n + 1}` } : {}) } };
  };

const account = (n: number) => ({
  Id: `1111222233${String(n).padStart(2, '0')}`,
  Email: `a${n}@example.com`,
});

function paced(rates: ApiRates, timer: Timer) {
  const limiter = new ApiRateLimiter(rates, timer);
  const clients: ClientFactory = createClientFactory({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    limiter,
  });
  return { limiter, clients, take: jest.spyOn(limiter, 'take') };
}

function virtual(rates: ApiRates) {
  const time = new VirtualTime(0);
  const sent: Sent[] = [];
  const { limiter, clients, take } = paced(rates, { nowMs: () => time.ms(), sleep: (ms) => time.sleep(ms) });
  const answer = (client: { config: object }, a: Answer) => answerFrom(client, a, sent, () => time.ms());
  return { time, sent, limiter, clients, take, answer };
}

describe('one token per AWS request: every page of a listing waits for its family', () => {
  // The SDK loads parts of itself on its first request, off the virtual clock: done here, unpaced.
  beforeAll(async () => {
    const { clients } = paced({}, { nowMs: () => 0, sleep: () => Promise.resolve() });
    answerFrom(clients.organizations(), pages(1, 'Accounts', account), [], () => 0);
    await new OrganizationsAdapter(clients).findAccountByEmail('a1@example.com');
  });

  it("a 5-page ListAccounts walk takes five Organizations tokens, at the family's rate", async () => {
    const { time, sent, clients, take, answer } = virtual({ organizations: 2 });
    answer(clients.organizations(), pages(5, 'Accounts', account));
    const found = await time.run(new OrganizationsAdapter(clients).findAccountByEmail('nobody@example.com'));
    expect(found).toBeUndefined();
    // a burst of two (one second's worth), then one page every 500 ms
    expect(sent).toEqual([0, 0, 500, 1_000, 1_500].map((at) => ({ operation: 'ListAccounts', at })));
    expect(take).toHaveBeenCalledTimes(5);
    expect(take.mock.calls.every(([family, op]) => family === 'organizations' && op === 'ListAccounts')).toBe(
      true,
    );
  });

  it("the spend collector's DescribeBudgets pages go at Budgets' 5 a second", async () => {
    const { time, sent, clients, take, answer } = virtual({ organizations: 10, budgets: 5 });
    const budget = (n: number) => ({ BudgetName: `b${n}`, BudgetLimit: { Amount: '10', Unit: 'USD' } });
    answer(clients.budgets(), pages(12, 'Budgets', budget));
    const spend = await time.run(new BudgetsAdapter(clients).listBudgetSpend('111122223333'));
    expect(spend).toHaveLength(12);
    expect(sent.map((s) => s.at)).toEqual([0, 0, 0, 0, 0, 200, 400, 600, 800, 1_000, 1_200, 1_400]);
    expect(take.mock.calls.map(([family]) => family)).toEqual(Array<string>(12).fill('budgets'));
  });

  it('CreateAccount goes before the pages already waiting, on the same bucket', async () => {
    const { time, sent, clients, answer } = virtual({ organizations: 2 });
    answer(clients.organizations(), pages(5, 'Accounts', account));
    answer(clients.organizationsNoRetry(), () => ({
      body: { CreateAccountStatus: { Id: 'car-1', State: 'IN_PROGRESS' } },
    }));
    const adapter = new OrganizationsAdapter(clients);
    const create = async () => {
      await time.sleep(100);
      return adapter.startCreateAccount({
        email: 'n@example.com',
        accountName: 'n',
        roleName: 'R',
        tags: {},
      });
    };
    await time.run(Promise.all([adapter.findAccountByEmail('nobody@example.com'), create()]));
    expect(sent).toEqual([
      { operation: 'ListAccounts', at: 0 },
      { operation: 'ListAccounts', at: 0 },
      { operation: 'CreateAccount', at: 500 },
      { operation: 'ListAccounts', at: 1_000 },
      { operation: 'ListAccounts', at: 1_500 },
      { operation: 'ListAccounts', at: 2_000 },
    ]);
  });

  it('a retried attempt takes a token of its own', async () => {
    // the SDK's retry backoff runs on the real clock; the rate is high enough never to wait
    const sent: Sent[] = [];
    const { clients, take } = paced(
      { organizations: 1_000 },
      { nowMs: () => 0, sleep: () => Promise.resolve() },
    );
    let first = true;
    answerFrom(
      clients.organizations(),
      (operation, input) => {
        if (!first) return pages(1, 'Accounts', account)(operation, input);
        first = false;
        return { status: 400, body: { __type: 'TooManyRequestsException', message: 'Rate exceeded' } };
      },
      sent,
      () => 0,
    );
    await expect(
      new OrganizationsAdapter(clients).findAccountByEmail('a1@example.com'),
    ).resolves.toMatchObject({
      email: 'a1@example.com',
    });
    expect(sent).toHaveLength(2);
    expect(take).toHaveBeenCalledTimes(2);
  });

  it('paces the clients of the rate-limited families, before signing, and no other client', () => {
    const { clients } = paced({ organizations: 10 }, { nowMs: () => 0, sleep: () => Promise.resolve() });
    const stack = (client: { middlewareStack: { identify(): string[] } }) =>
      client.middlewareStack.identify();
    const pacing = `${PACING_MIDDLEWARE} - before httpSigningMiddleware`;
    for (const client of [
      clients.organizations(),
      clients.organizationsNoRetry(),
      clients.cloudFormation(),
      clients.ssoAdmin(),
      clients.budgets(),
    ])
      expect(stack(client)).toContain(pacing);
    for (const client of [clients.sts(), clients.identityStore(), clients.ec2(), clients.guardDuty()])
      expect(stack(client).join()).not.toContain(PACING_MIDDLEWARE);
    const unpaced = createClientFactory({ region: 'us-east-1' });
    expect(stack(unpaced.organizations()).join()).not.toContain(PACING_MIDDLEWARE);
  });
});
