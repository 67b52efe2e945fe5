import type { ApiRateLimiter } from '../../../src/aws/rate-limited';
import type { AwsPorts } from '../../../src/domain/ports/aws';
import { AwsError } from '../../../src/domain/errors';
import { memberSessionName } from '../../../src/domain/names';
import { recordAwsCall } from '../../../src/metrics/registry';
import type { VirtualTime } from '../virtual-time';
import { pagesOf, roundTripsOf, type Listings } from './pages';
import { RATE_GROUP_OF, RATE_GROUPS, type ModelParams, type RateGroup, type Service } from './params';

/** A token bucket on the virtual clock: `rate` calls a second, bursts of twice that (at least one). */
class Bucket {
  private tokens: number;
  private last: number;
  private readonly burst: number;
  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.burst = Math.max(1, 2 * rate);
    this.tokens = this.burst;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** What the model saw: every call by `service:method`, the throttles it answered, its own CPU. */
export interface CallLog {
  calls: Map<string, number>;
  throttles: Map<string, number>;
  /** CPU microseconds spent inside the model (the in-memory AWS), not in the factory. */
  modelCpuMicros: number;
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

/**
 * The AWS operation of the port methods whose requests the factory's limiter serves first (its
 * URGENT set, src/aws/rate-limited.ts); the others go by their port method's name, as ordinary.
 */
const OPERATION_OF: Readonly<Record<string, string>> = {
  'organizations:startCreateAccount': 'CreateAccount',
  'organizations:getCreateAccountStatus': 'DescribeCreateAccountStatus',
};

/**
 * The organisation-services port methods that act in a member account (the first argument), on
 * that account's session (src/aws/org-services/index.ts).
 */
const IN_MEMBER_ACCOUNT = new Set([
  'findLogBucket',
  'ensureLogBucket',
  'getThreatDetectionAutoEnable',
  'enableThreatDetectionAutoEnable',
  'getSecurityHubAutoEnable',
  'enableSecurityHubAutoEnable',
  'getFoundationalStandardEnabled',
  'enableFoundationalStandard',
  'listOrganizationAnalyzers',
  'createOrganizationAnalyzer',
]);

/** AssumeRole's credentials last an hour; the adapters assume again five minutes before they expire. */
const SESSION_RENEWED_AFTER_MS = 55 * 60_000;

/** The adapters' SDK clients: standard retry mode, 1 try + 2 retries (src/aws/clients.ts). */
const SDK_MAX_ATTEMPTS = 3;

/**
 * Every call of the factory's AWS ports goes through here: it is counted, takes its service's
 * latency on the virtual clock (half each way), and is throttled when its API group's token
 * bucket is empty (or, rarely, at random: AWS throttles below its rates too). A throttle is the
 * AwsError the adapters' error mapping gives (retryable), so the factory's own retry handles it.
 * A paginated listing is as many calls as the pages its adapter fetches (`listings` tells the
 * model what AWS holds beyond the answer, e.g. where an e-mail stands in ListAccounts).
 *
 * `limiter` is the factory's own client-side limiter (src/app/runtime.ts gives it to the SDK
 * clients, which take one token per attempt they send): here every attempt of a rate-limited
 * group, each page and each retry, takes its token from it before it leaves, as the factory's
 * requests do in production. Without it the model meets the calls unpaced.
 */
export function meteredAws(
  ports: AwsPorts,
  time: VirtualTime,
  params: ModelParams,
  random: () => number,
  listings: Listings,
  limiter?: ApiRateLimiter,
): { aws: AwsPorts; log: CallLog } {
  const log: CallLog = { calls: new Map(), throttles: new Map(), modelCpuMicros: 0 };
  const buckets = new Map<RateGroup, Bucket>(
    RATE_GROUPS.map((g) => [g, new Bucket(params.rates[g], time.ms())]),
  );
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

  /**
   * One attempt: the factory's token, the request leg, AWS's rate check, the model's work, the
   * response leg.
   */
  async function attempt(service: Service, name: string, impl: () => Promise<unknown>): Promise<unknown> {
    const group = RATE_GROUP_OF[service];
    await limiter?.take(group, OPERATION_OF[name] ?? name);
    bump(log.calls, name);
    // as the SDK clients' middleware does for every attempt: counted against the request whose step made it
    recordAwsCall(service, name);
    const half = params.latencyMs[service] / 2;
    await time.sleep(half);
    const bucket = group ? buckets.get(group) : undefined;
    if (bucket && (!bucket.take(time.ms()) || random() < params.throttleRate)) {
      bump(log.throttles, name);
      await time.sleep(half);
      const org = service === 'organizations' || service === 'orgServices';
      throw new AwsError(
        name,
        org ? 'TooManyRequestsException' : 'ThrottlingException',
        'Rate exceeded (simulated)',
        true,
      );
    }
    const before = process.cpuUsage();
    const pending = impl();
    const used = process.cpuUsage(before);
    log.modelCpuMicros += used.user + used.system;
    try {
      return await pending;
    } finally {
      await time.sleep(half);
    }
  }

  /**
   * One request as the SDK client makes it: standard retry mode retries a throttle after a
   * jittered exponential delay (500 ms base for throttling, 20 s cap) up to `maxAttempts` in all;
   * the factory sees the error only when every attempt was throttled. CreateAccount's client does
   * not retry (one attempt), as in src/aws/clients.ts.
   */
  async function request(service: Service, method: string, impl: () => Promise<unknown>): Promise<unknown> {
    const name = `${service}:${method}`;
    const attempts = method === 'startCreateAccount' ? 1 : SDK_MAX_ATTEMPTS;
    for (let i = 1; ; i++) {
      try {
        return await attempt(service, name, impl);
      } catch (e) {
        const throttled = e instanceof AwsError && e.message.includes('(simulated)');
        if (!throttled || i >= attempts) throw e;
        await time.sleep(random() * Math.min(20_000, 500 * 2 ** (i - 1)));
      }
    }
  }

  /**
   * A port call: its first request does the model's work; a paginated listing then makes one
   * more request per further page its adapter would fetch, and a method whose adapter sends
   * several requests makes those (pages.ts), each counted, timed and throttled like any call:
   * one after the other, or side by side where the adapter sends them so. A request throttled
   * past the SDK's retries fails the whole port call.
   */
  async function call(service: Service, method: string, impl: AnyFn, args: unknown[]): Promise<unknown> {
    const answer = await request(service, method, () => impl(...args));
    const name = `${service}:${method}`;
    const pages = pagesOf(name, args, answer, listings);
    // the further requests: those one after the other, and beside them those the adapter sends side by side
    const inTurn = roundTripsOf(name, answer, pages) - 1;
    const more = () => request(service, method, () => Promise.resolve());
    await Promise.all([
      (async () => {
        for (let i = 0; i < inTurn; i++) await more();
      })(),
      ...Array.from({ length: pages - 1 - inTurn }, more),
    ]);
    return answer;
  }

  /**
   * The member-account sessions the adapters keep (src/aws/index.ts): the first use of an account
   * for an activity (a request, drift, the organisation services) assumes its role (sts:AssumeRole),
   * which serves every region and every later use for that activity until shortly before the
   * credentials expire. Here, when each account's session was assumed, by account and session name.
   */
  const sessions = new Map<string, { at: number; assumed: Promise<unknown> }>();
  function session(accountId: string, activity?: string): Promise<unknown> {
    const key = `${accountId}/${memberSessionName(activity)}`;
    const known = sessions.get(key);
    if (known && time.ms() - known.at < SESSION_RENEWED_AFTER_MS) return known.assumed;
    // concurrent first uses share the one AssumeRole in flight, as the adapters' do
    const entry = { at: time.ms(), assumed: request('sts', 'assumeAccountRole', () => Promise.resolve()) };
    entry.assumed.catch(() => sessions.get(key) === entry && sessions.delete(key));
    sessions.set(key, entry);
    return entry.assumed;
  }

  function wrap<T extends object>(service: Service, port: T): T {
    return new Proxy(port, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const impl = (value as AnyFn).bind(target);
        const inMember = service === 'orgServices' && IN_MEMBER_ACCOUNT.has(prop);
        return async (...args: unknown[]) => {
          if (inMember) await session(String(args[0]), 'org-services');
          return call(service, prop, impl, args);
        };
      },
    });
  }

  const aws: AwsPorts = {
    organizations: wrap('organizations', ports.organizations),
    stackSets: wrap('stackSets', ports.stackSets),
    identityCenter: wrap('identityCenter', ports.identityCenter),
    budgets: wrap('budgets', ports.budgets),
    sts: wrap('sts', ports.sts),
    orgServices: wrap('orgServices', ports.orgServices),
    ...(ports.events ? { events: wrap('events', ports.events) } : {}),
    ...(ports.costExplorer ? { costExplorer: wrap('costExplorer', ports.costExplorer) } : {}),
    memberAccount: async (accountId, region, activity) => {
      await session(accountId, activity);
      return wrap('member', await ports.memberAccount(accountId, region, activity));
    },
  };
  return { aws, log };
}
