/**
 * Drift sweep benchmark (`npm run drift-bench`; not part of `npm test`): an inventory of
 * DRIFT_BENCH_INVENTORY (1,000) READY accounts in the store, moto behind the behaviour layer as
 * AWS, and the sweep driven by DRIFT_BENCH_WORKERS (2) workers' background steps until
 * DRIFT_BENCH_SAMPLE (100) accounts were verified. Prints the rate reached against the bound the
 * config sets (`drift.verificationsPerMinute`) and writes drift-bench-results.json.
 */
import { writeFileSync } from 'node:fs';
import { createRuntime } from '../src/cli/runtime';
import { initialSteps, type RequestRecord } from '../src/domain/account-request';
import { startLocalOrg } from '../src/local/aws-behaviour/local-org';
import { advanceDriftSweep } from '../src/workflow/drift/advance-sweep';
import { driftStatus } from '../src/workflow/drift/drift-status';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const INVENTORY = env('DRIFT_BENCH_INVENTORY', 1000);
const SAMPLE = Math.min(INVENTORY, env('DRIFT_BENCH_SAMPLE', 100));
const WORKERS = env('DRIFT_BENCH_WORKERS', 2);
const PER_MINUTE = env('DRIFT_BENCH_PER_MINUTE', 600);

function inventoryRecord(i: number, now: string): RequestRecord {
  const accountId = String(200_000_000_000 + i);
  return {
    schemaVersion: 1,
    id: `bench-${String(i).padStart(5, '0')}`,
    version: 1,
    status: 'READY',
    phase: 'release-quarantine',
    team: 'payments',
    accountId,
    spec: {
      accountName: `bench-${i}`,
      email: `aws+bench-${i}@example.com`,
      organizationalUnit: 'Workloads/NonProd',
      owner: { team: 'payments', email: 'payments-lead@example.com' },
      costCenter: 'CC-1234',
      budget: { monthlyLimitUsd: 500, thresholdsPercent: [80, 100] },
      access: [],
      tags: {},
    },
    handles: {},
    attempts: 0,
    nextCheckAt: now,
    createdAt: now,
    updatedAt: now,
    createdBy: 'bench',
    steps: initialSteps(),
  };
}

async function main(): Promise<void> {
  const org = await startLocalOrg({
    profile: { createAccount: { durationMs: 500 } },
    configPatch: { drift: { remediate: false, verificationsPerMinute: PER_MINUTE } },
  });
  Object.assign(process.env, org.env);
  const runtime = await createRuntime({ configFile: org.config.file, storeSpec: 'memory:' });
  const principal = { role: 'platform' as const, name: 'bench' };
  try {
    const now = new Date().toISOString();
    for (let i = 0; i < INVENTORY; i++) await runtime.store.create(inventoryRecord(i, now));
    const started = Date.now();
    let checked = 0;
    const worker = async (owner: string) => {
      while (checked < SAMPLE) {
        if (!(await advanceDriftSweep(runtime.deps, owner))) await new Promise((r) => setTimeout(r, 100));
        checked = (await driftStatus(runtime.deps, principal)).sweep?.accountsChecked ?? 0;
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(`bench-${i}`)));
    const seconds = (Date.now() - started) / 1000;
    const status = await driftStatus(runtime.deps, principal);
    const perMinute = (60 * checked) / seconds;
    const results = {
      inventory: INVENTORY,
      sampled: checked,
      workers: WORKERS,
      verificationsPerMinuteSetting: PER_MINUTE,
      seconds: Number(seconds.toFixed(1)),
      verificationsPerMinuteReached: Number(perMinute.toFixed(1)),
      findingsPerAccount: Number(((status.sweep?.findingsTotal ?? 0) / checked).toFixed(1)),
      accountsFailed: status.sweep?.accountsFailed ?? 0,
      /** The whole inventory at the rate reached, and at the configured bound. */
      projectedInventoryMinutes: Number((INVENTORY / perMinute).toFixed(1)),
      boundInventoryMinutes: Number((INVENTORY / PER_MINUTE).toFixed(1)),
    };
    console.log(JSON.stringify(results, null, 2));
    writeFileSync('drift-bench-results.json', `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await runtime.close();
    await org.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
