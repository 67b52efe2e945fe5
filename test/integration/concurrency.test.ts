import { buildApp } from '../../api/app';
import { createRuntime, type Runtime } from '../../src/app/runtime';
import type { LoggedCall } from '../../src/local/aws-behaviour';
import { startLocalOrg, type LocalOrg } from '../../test/support/harness/local-org';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { startWorkerLoop } from '../../src/workflow/worker-loop';

const ADMIN = 'concurrency-admin-token-0123456789abcdef';
const REQUESTS = 8;
const WORKERS = 3;
const emailOf = (i: number) => `aws+conc-${i}@example.com`;

/** How many executed calls of `action` there are per value of `key` (e.g. per account id). */
function perKey(calls: readonly LoggedCall[], action: string, key: (c: LoggedCall) => string): number[] {
  const counts = new Map<string, number>();
  for (const c of calls.filter((x) => x.action === action && x.outcome === 'executed'))
    counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
  return [...counts.values()];
}

/**
 * Three workers, each with its own runtime and SQLite connection to one file (as three processes
 * would have), against moto behind the behaviour layer: the leases must keep them off each
 * other's requests, so every mutating call happens exactly once per request.
 */
describe('several workers on one store never run the same step twice', () => {
  let org: LocalOrg;
  const runtimes: Runtime[] = [];
  /** Calls made while the organisation was bootstrapped, not by the workers. */
  let setupCalls = 0;
  const saved = { ...process.env };

  beforeAll(async () => {
    org = await startLocalOrg({
      profile: {
        createAccount: { durationMs: 1_000 },
        stackSets: { operationMs: 800 },
        assignments: { durationMs: 200 },
      },
    });
    setupCalls = org.proxy.log.all().length;
    Object.assign(process.env, org.env);
    for (let i = 0; i < WORKERS; i++)
      runtimes.push(
        await createRuntime({ configFile: org.config.file, storeSpec: `sqlite:${org.dir}/avf.db` }),
      );
  });

  afterAll(async () => {
    for (const r of runtimes) await r.close();
    await org?.stop();
    process.env = saved;
  });

  it('vends every request once: one CreateAccount, MoveAccount, stack instance deployment, assignment and budget each', async () => {
    const app = buildApp({
      store: runtimes[0]!.store,
      config: runtimes[0]!.config,
      clock: runtimes[0]!.deps.clock,
      adminToken: ADMIN,
      accountDirectory: runtimes[0]!.aws.organizations,
    });
    const ids: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/account-requests',
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: { ...SAMPLE_REQUEST, accountName: `conc-${i}`, email: emailOf(i) },
      });
      expect(res.statusCode).toBe(202);
      ids.push(res.json<{ id: string }>().id);
    }
    const loops = runtimes.map((r, i) => startWorkerLoop(r.newWorker(`worker-${i}`), { intervalMs: 50 }));
    const statuses = async () =>
      Promise.all(
        ids.map(async (id) => {
          const record = await runtimes[1]!.store.get(id);
          return record?.status === 'FAILED'
            ? `FAILED ${JSON.stringify(record.error)}`
            : !record || record.status === 'READY'
              ? (record?.status ?? 'MISSING')
              : // where it stands, for a failure message that says what stalled
                `${record.status} ${record.phase} attempt ${record.attempts} due ${record.nextCheckAt} lease ${record.leaseOwner ?? '-'} until ${record.leaseUntil ?? '-'}: ${record.steps.find((s) => s.name === record.phase)?.detail ?? ''}`;
        }),
      );
    const deadline = Date.now() + 90_000;
    let now = await statuses();
    while (!now.every((s) => s === 'READY' || s.startsWith('FAILED')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      now = await statuses();
    }
    await Promise.all(loops.map((l) => l.stop()));
    await app.close();
    expect(now).toEqual(ids.map(() => 'READY'));

    const log = org.proxy.log.all().slice(setupCalls);
    const once = Array.from({ length: REQUESTS }, () => 1);
    expect(perKey(log, 'CreateAccount', (c) => c.detail.email ?? '')).toEqual(once);
    expect(perKey(log, 'MoveAccount', (c) => c.detail.accountId ?? '')).toEqual(once);
    expect(perKey(log, 'CreateBudget', (c) => c.detail.budgetName ?? JSON.stringify(c.detail))).toEqual(once);
    const stackSets = org.config.config.stackSets.length;
    // Batched: each account is in exactly one CreateStackInstances per StackSet, with fewer calls than accounts.
    const batches = log.filter((c) => c.action === 'CreateStackInstances' && c.outcome === 'executed');
    const perAccount = batches.flatMap((c) =>
      (c.detail.accounts ?? '').split(',').map((a) => ({ ...c, detail: { ...c.detail, account: a } })),
    );
    expect(
      perKey(perAccount, 'CreateStackInstances', (c) => `${c.detail.stackSetName}/${c.detail.account}`),
    ).toEqual(Array.from({ length: REQUESTS * stackSets }, () => 1));
    expect(batches.length).toBeLessThan(REQUESTS * stackSets);
    expect(
      perKey(
        log,
        'CreateAccountAssignment',
        (c) => `${c.detail.accountId}/${c.detail.permissionSetArn}/${c.detail.principalId}`,
      ),
    ).toEqual(Array.from({ length: REQUESTS * (SAMPLE_REQUEST.access?.length ?? 0) }, () => 1));
    // Nothing refused: no second operation on a busy StackSet, no sixth concurrent CreateAccount.
    expect(log.filter((c) => c.outcome === 'rejected')).toEqual([]);
  }, 150_000);
});
