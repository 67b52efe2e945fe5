import { resolve } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../../src/config/load';
import type { RequestRecord } from '../../../src/domain/account-request';
import { MemoryStore } from '../../../src/store/memory-store';
import { CONTROLS } from '../../../src/verify/controls';
import { Verifier } from '../../../src/verify/verifier';
import { OrgDirectory } from '../../../src/domain/org-directory';
import type { WorkflowDeps } from '../../../src/workflow/step';
import { Worker } from '../../../src/workflow/worker';
import { bootstrapFake } from '../../support/bootstrap-fake';
import { FakeAws } from '../../support/fake-aws';
import { makeRequestRecord } from '../../support/fixtures';
import { testKinds } from '../../support/job-kinds';
import { storeTag } from '../../../src/workflow/coordination/store-identity';

/** A clock the test moves by hand. */
export class FakeClock {
  constructor(private t = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export const EXAMPLE_CONFIG: LoadedConfig = loadConfig(resolve(__dirname, '../../../factory.config.yaml'));

export interface Harness {
  aws: FakeAws;
  store: MemoryStore;
  clock: FakeClock;
  deps: WorkflowDeps;
  worker: Worker;
  /** Ticks (moving the clock a minute between ticks) until the request is READY or FAILED. */
  runToEnd(id: string, maxTicks?: number): Promise<RequestRecord>;
}

/** The example organisation, bootstrapped into an in-memory AWS, with a worker on an in-memory store. */
export async function harness(
  store: MemoryStore = new MemoryStore(),
  clock: FakeClock = new FakeClock(),
): Promise<Harness> {
  const aws = new FakeAws();
  await bootstrapFake(aws, EXAMPLE_CONFIG);
  // count only the vend's calls, not the bootstrap's
  for (const method of Object.keys(aws.calls)) delete aws.calls[method];
  const directory = new OrgDirectory(aws);
  const deps: WorkflowDeps = {
    store,
    aws,
    config: EXAMPLE_CONFIG,
    clock,
    directory,
    // The in-memory AWS answers as AWS does: no emulator is declared.
    verifier: new Verifier(CONTROLS, { aws, config: EXAMPLE_CONFIG, directory }, false),
    random: () => 0.5,
    storeTag: await storeTag(store, clock.now()),
  };
  // rollouts, drift sweeps and deliveries are driven by hand in the tests that need them
  const worker = new Worker(deps, { id: 'w1', leaseMs: 30_000, kinds: testKinds({ leaseMs: 30_000 }) });
  return {
    aws,
    store,
    clock,
    deps,
    worker,
    async runToEnd(id, maxTicks = 200) {
      for (let i = 0; i < maxTicks; i++) {
        const record = await store.get(id);
        if (!record) throw new Error(`no request ${id}`);
        if (record.status === 'READY' || record.status === 'FAILED') return record;
        await worker.tick();
        clock.advance(60_000);
      }
      throw new Error(`request ${id} did not finish in ${maxTicks} ticks`);
    },
  };
}

/** Ticks, moving the clock `stepMs` after each, until the request satisfies `reached`; returns it. */
export async function tickUntil(
  h: Harness,
  id: string,
  reached: (r: RequestRecord) => boolean,
  { stepMs = 60_000, maxTicks = 500 } = {},
): Promise<RequestRecord> {
  for (let i = 0; i < maxTicks; i++) {
    const record = await h.store.get(id);
    if (!record) throw new Error(`no request ${id}`);
    if (reached(record)) return record;
    await h.worker.tick();
    h.clock.advance(stepMs);
  }
  throw new Error(`request ${id} did not get there in ${maxTicks} ticks`);
}

/** A request for the example organisation, stored and due now. */
export async function submit(
  h: Harness,
  overrides: Parameters<typeof makeRequestRecord>[0] = {},
): Promise<RequestRecord> {
  const record = makeRequestRecord({
    nextCheckAt: h.clock.now().toISOString(),
    ...overrides,
    spec: {
      organizationalUnit: 'Workloads/NonProd',
      access: [{ group: 'payments-developers', permissionSet: 'Developer' }],
      tags: { environment: 'dev' },
      ...overrides.spec,
    },
  });
  return h.store.create(record);
}

/** Vends `n` accounts of the example organisation to READY (named `<prefix>-0`, `<prefix>-1`, …); their ids. */
export async function vendAccounts(h: Harness, n: number, prefix = 'team'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await submit(h, {
      spec: { accountName: `${prefix}-${i}`, email: `aws+${prefix}-${i}@example.com` },
    });
    const done = await h.runToEnd(r.id);
    if (done.status !== 'READY')
      throw new Error(`${prefix}-${i} ended ${done.status}: ${done.error?.message ?? ''}`);
    ids.push(done.accountId ?? '');
  }
  return ids;
}
