import { openStore } from '../../../src/store/open-store';
import { SAMPLE_REQUEST } from '../../../src/local/sample-request';
import { factoryProcess, type FactoryProcess } from './factory-process';
import { startLocalOrg } from './local-org';
import type { BehaviourProfileInput } from '../../../src/local/aws-behaviour/profile';
import { seededRandom } from '../../../src/local/aws-behaviour/prng';

export interface CrashScenarioOptions {
  requests: number;
  kills: number;
  seed: number;
  profile: BehaviourProfileInput;
  /** Pause, in ms, between a (re)start and the next SIGKILL: a seeded draw in [min, max]. */
  killAfterMs: [number, number];
  /** Submit the requests spread over the kills instead of all at once before the first. */
  spreadSubmissions?: boolean;
  /** How long, after the last restart, the requests may take to settle. */
  settleTimeoutMs: number;
  /**
   * `sqlite` (default): one `avf serve` with its worker on a SQLite file. `dynamodb`: one
   * `avf serve --no-worker` and `workers` `avf worker` processes on one DynamoDB table (moto's), as
   * the deployment runs; each kill picks one of the workers at (seeded) random.
   */
  store?: 'sqlite' | 'dynamodb';
  /** Worker processes beside the API with the `dynamodb` store. Default 3. */
  workers?: number;
  onProgress?: (line: string) => void;
}

/**
 * The kill test of `npm test`: 6 requests, 4 SIGKILLs 1–4 s apart, short AWS durations and 2 %
 * throttling plus 2 % 503s on every call. The store and the processes are the caller's choice.
 */
export const KILL_TEST: Omit<CrashScenarioOptions, 'store' | 'workers'> = {
  requests: 6,
  kills: 4,
  seed: 11,
  profile: {
    createAccount: { durationMs: 1_500 },
    stackSets: { operationMs: 1_000 },
    assignments: { durationMs: 300 },
    faults: { throttleRate: 0.02, unavailableRate: 0.02 },
  },
  killAfterMs: [1_000, 4_000],
  settleTimeoutMs: 120_000,
};

export interface CrashScenarioResult {
  requests: number;
  kills: number;
  ready: number;
  /** Requests that ended FAILED, with the reason. */
  failed: Array<{ id: string; email: string; reason: string }>;
  /** Requests neither READY nor FAILED when the settle time ran out. */
  stuck: Array<{ id: string; email: string; status: string; detail: string }>;
  /** AWS accounts beyond one per request (max of moto's ListAccounts and the proxy's CreateAccount log). */
  duplicates: number;
  /** Requests that did not end READY with exactly one account. */
  lost: number;
  createAccountExecuted: number;
  /** CreateAccount calls the behaviour layer refused, by error code. */
  createAccountRejected: Record<string, number>;
  /** Writes to the DynamoDB store answered with an injected throttle or 503 (some after they happened). */
  storeWriteFaults: number;
  durationMs: number;
}

interface RequestView {
  id: string;
  status: string;
  accountId?: string;
  error?: { code?: string; message?: string };
  steps?: Array<{ name: string; status: string; detail?: string }>;
}

const TOKEN = 'avf-crash-harness-token-0123456789abcdef';
const settled = (v: RequestView) => v.status === 'READY' || v.status === 'FAILED';

/** Every account moto holds, asked of moto itself (not through the behaviour layer, which hides some). */
async function motoAccounts(endpoint: string): Promise<Array<{ Id?: string; Email?: string }>> {
  const accounts: Array<{ Id?: string; Email?: string }> = [];
  let token: string | undefined;
  do {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSOrganizationsV20161128.ListAccounts',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/organizations/aws4_request',
      },
      body: JSON.stringify(token ? { NextToken: token } : {}),
    });
    const page = (await res.json()) as {
      Accounts?: Array<{ Id?: string; Email?: string }>;
      NextToken?: string;
    };
    accounts.push(...(page.Accounts ?? []));
    token = page.NextToken;
  } while (token);
  return accounts;
}
const bodyFor = (i: number) => ({
  ...SAMPLE_REQUEST,
  accountName: `crash-${i}`,
  email: `aws+crash-${i}@example.com`,
});

/**
 * The factory as child processes (`avf serve` on SQLite, or the API and several workers on one
 * DynamoDB table) against moto behind the behaviour
 * layer, SIGKILLed at seeded random moments and started again, until every request settles;
 * then counts the AWS accounts per request two ways.
 */
export async function runCrashScenario(o: CrashScenarioOptions): Promise<CrashScenarioResult> {
  const started = Date.now();
  const random = seededRandom(o.seed);
  // The harness polls every request twice a second: more than the example config's rate limit.
  const org = await startLocalOrg({
    profile: { seed: o.seed, ...o.profile },
    configPatch: { api: { rateLimit: { perToken: 1_000_000 } } },
  });
  const processes = await startProcesses(o, org);
  const factory = processes[0]!;
  const api = async (method: string, path: string, body?: unknown, tries = 5): Promise<unknown> => {
    const res = await fetch(`${factory.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // A read answered 503 (the store's own AWS faulted, injected here too) is retried, as the
    // contract tells clients to; anything else is a failure of the scenario.
    if (res.status === 503 && method === 'GET' && tries > 1) {
      await new Promise((r) => setTimeout(r, 200));
      return api(method, path, body, tries - 1);
    }
    if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  const ids: string[] = [];
  const submitUpTo = async (n: number) => {
    while (ids.length < Math.min(n, o.requests))
      ids.push(((await api('POST', '/v1/account-requests', bodyFor(ids.length))) as RequestView).id);
  };
  const pause = () => o.killAfterMs[0] + random() * (o.killAfterMs[1] - o.killAfterMs[0]);
  const view = async (id: string) => (await api('GET', `/v1/account-requests/${id}`)) as RequestView;
  try {
    for (const p of processes) await p.start();
    for (let k = 0; k < o.kills; k++) {
      await submitUpTo(o.spreadSubmissions ? Math.ceil(((k + 1) * o.requests) / o.kills) : o.requests);
      await new Promise((r) => setTimeout(r, pause()));
      // The seeded draws stay those of the single-process run unless there are workers to pick from.
      const workers = processes.slice(1);
      const victim = workers.length > 0 ? workers[Math.floor(random() * workers.length)]! : factory;
      await victim.kill();
      o.onProgress?.(`kill ${k + 1}/${o.kills}`);
      await victim.start();
    }
    await submitUpTo(o.requests);
    const deadline = Date.now() + o.settleTimeoutMs;
    let views = await Promise.all(ids.map(view));
    while (!views.every(settled) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      views = await Promise.all(ids.map(view));
    }
    return { ...(await count(o, org, views)), durationMs: Date.now() - started };
  } finally {
    for (const p of processes) await p.stop();
    await org.stop();
  }
}

/** The API process first, then the workers (none with SQLite: `avf serve` runs its own). */
async function startProcesses(
  o: CrashScenarioOptions,
  org: Awaited<ReturnType<typeof startLocalOrg>>,
): Promise<FactoryProcess[]> {
  if (o.store !== 'dynamodb') {
    const env = { ...org.env, AVF_STORE: `sqlite:${org.dir}/avf.db`, AVF_ADMIN_TOKEN: TOKEN };
    return [await factoryProcess({ command: 'serve', env })];
  }
  const env = { ...org.env, AVF_STORE: 'dynamodb:avf-crash', AVF_ADMIN_TOKEN: TOKEN };
  // Created once before the processes race to it (each would create it when missing).
  const saved = { ...process.env };
  Object.assign(process.env, org.env);
  try {
    await (await openStore(env.AVF_STORE)).close();
  } finally {
    process.env = saved;
  }
  const api = await factoryProcess({ command: 'serve', args: ['--no-worker'], env });
  const workers: FactoryProcess[] = [];
  for (let i = 0; i < (o.workers ?? 3); i++) workers.push(await factoryProcess({ command: 'worker', env }));
  return [api, ...workers];
}

async function count(
  o: CrashScenarioOptions,
  org: Awaited<ReturnType<typeof startLocalOrg>>,
  views: RequestView[],
): Promise<Omit<CrashScenarioResult, 'durationMs'>> {
  const accounts = await motoAccounts(org.moto.endpoint);
  const logged = org.proxy.log.countBy('CreateAccount', 'email');
  // The requests' own, not the foundation accounts the bootstrap created.
  const emails = new Set(views.map((_, i) => bodyFor(i).email.toLowerCase()));
  let duplicates = 0;
  let lost = 0;
  views.forEach((v, i) => {
    const email = bodyFor(i).email.toLowerCase();
    const inMoto = accounts.filter((a) => a.Email?.toLowerCase() === email);
    const copies = Math.max(inMoto.length, logged.get(email) ?? 0);
    duplicates += Math.max(0, copies - 1);
    if (v.status !== 'READY' || inMoto.length !== 1 || inMoto[0]?.Id !== v.accountId) lost++;
  });
  const rejected: Record<string, number> = {};
  for (const c of org.proxy.log.rejected('CreateAccount').filter((x) => emails.has(x.detail.email ?? '')))
    rejected[c.code ?? ''] = (rejected[c.code ?? ''] ?? 0) + 1;
  const detailOf = (v: RequestView) => v.steps?.find((s) => s.status === 'RUNNING')?.detail ?? '';
  return {
    requests: o.requests,
    kills: o.kills,
    ready: views.filter((v) => v.status === 'READY').length,
    failed: views.flatMap((v, i) =>
      v.status === 'FAILED'
        ? [{ id: v.id, email: bodyFor(i).email, reason: `${v.error?.code ?? ''}: ${v.error?.message ?? ''}` }]
        : [],
    ),
    stuck: views.flatMap((v, i) =>
      settled(v) ? [] : [{ id: v.id, email: bodyFor(i).email, status: v.status, detail: detailOf(v) }],
    ),
    duplicates,
    lost,
    createAccountExecuted: org.proxy.log.executed('CreateAccount', (c) => emails.has(c.detail.email ?? ''))
      .length,
    createAccountRejected: rejected,
    storeWriteFaults: org.proxy.log
      .all()
      .filter((c) => c.service === 'dynamodb' && (c.outcome === 'fault' || c.outcome === 'executed-lost'))
      .length,
  };
}
