/**
 * Drift sweep benchmark (`npm run drift-bench [-- --sample N]`; not part of `npm test`): an
 * inventory of `--inventory` (1,000) READY accounts in the store, moto behind the behaviour layer
 * as AWS, and the sweep's job driven by `--workers` (2) workers ticking with
 * `drift.verificationsPerMinute: --per-minute` (600). By default it times the whole sweep of the
 * inventory; `--sample N` stops after N verified accounts and extrapolates. Prints the duration,
 * the rate reached against the bound the config sets, the most verifications that started in any
 * 60 s window (the limit must hold there) and AWS calls per account, and writes `--out`
 * (bench-results/drift-bench.json).
 */
import { createRuntime } from '../src/app/runtime';
import { callsBetween } from '../src/local/aws-behaviour/call-log';
import { startLocalOrg } from '../test/support/harness/local-org';
import { driftStatus } from '../src/workflow/drift/drift-status';
import { budgetCapacity } from '../src/workflow/drift/verification-budget';
import { parseDriftBenchOptions } from './drift-bench/options';
import { writeResults } from './results-file';
import { cpuSeconds, motoPid } from './drift-bench/cpu';
import { maxInWindow } from './drift-bench/rate-window';
import { sweepWithWorkers } from './drift-bench/sweep-workers';
import { inventoryRecord, timeVerifications } from './drift-bench/inventory';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const options = parseDriftBenchOptions(process.argv.slice(2));
  const org = await startLocalOrg({
    profile: { createAccount: { durationMs: 500 } },
    configPatch: { drift: { remediate: false, verificationsPerMinute: options.perMinute } },
  });
  Object.assign(process.env, org.env);
  const runtime = await createRuntime({ configFile: org.config.file, storeSpec: 'memory:' });
  const principal = { role: 'platform' as const, name: 'bench' };
  try {
    const now = new Date().toISOString();
    for (let i = 0; i < options.inventory; i++) await runtime.store.create(inventoryRecord(i, now));
    const starts = timeVerifications(() => Date.now());
    const callsBefore = org.proxy.callCounts();
    const moto = motoPid(org.moto.port);
    const motoCpuBefore = moto === undefined ? undefined : cpuSeconds(moto);
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    await sweepWithWorkers(runtime.deps, {
      workers: options.workers,
      sample: options.sample,
      idleMs: 100,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    const seconds = (Date.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const motoCpuAfter = moto === undefined ? undefined : cpuSeconds(moto);
    const calls = callsBetween(callsBefore, org.proxy.callCounts());
    const { sweep } = await driftStatus(runtime.deps, principal);
    const checked = sweep?.accountsChecked ?? 0;
    const perMinute = (60 * checked) / seconds;
    const perAccount = (n: number) => round(n / Math.max(1, checked));
    const maxIn60s = maxInWindow(starts, 60_000);
    const results = {
      mode: options.sample === undefined ? 'full sweep' : 'sample',
      inventory: options.inventory,
      accountsVerified: checked,
      sweepFinished: Boolean(sweep?.finishedAt),
      workers: options.workers,
      verificationsPerMinuteSetting: options.perMinute,
      accountsPerStep: budgetCapacity(options.perMinute),
      seconds: round(seconds),
      minutes: round(seconds / 60, 2),
      verificationsPerMinuteReached: round(perMinute),
      /** The least time the inventory can take at the configured rate. */
      boundInventoryMinutes: round(options.inventory / options.perMinute, 2),
      /** Verifications started in the busiest 60 s window: at most the setting. */
      maxVerificationsIn60s: maxIn60s,
      withinConfiguredRate: maxIn60s <= options.perMinute,
      awsCallsPerAccount: perAccount(calls.total),
      awsCallsPerAccountByAction: Object.fromEntries(
        Object.entries(calls.byAction)
          .sort(([, a], [, b]) => b - a)
          .map(([action, n]) => [action, round(n / Math.max(1, checked), 2)]),
      ),
      /** CPU per account, which the machine's other load hardly changes (unlike the wall times). */
      cpuMillisecondsPerAccount: {
        factoryAndProxy: Math.round((cpu.user + cpu.system) / 1000 / Math.max(1, checked)),
        ...(motoCpuBefore === undefined || motoCpuAfter === undefined
          ? {}
          : { moto: Math.round(((motoCpuAfter - motoCpuBefore) * 1000) / Math.max(1, checked)) }),
      },
      findingsPerAccount: perAccount(sweep?.findingsTotal ?? 0),
      accountsFailed: sweep?.accountsFailed ?? 0,
      ...(options.sample === undefined
        ? {}
        : { projectedInventoryMinutes: round(options.inventory / perMinute, 2) }),
    };
    console.log(JSON.stringify(results, null, 2));
    writeResults(options.out, results);
  } finally {
    await runtime.close();
    await org.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
