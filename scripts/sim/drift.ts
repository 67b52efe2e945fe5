import { apiRates } from '../../src/config/worker-schema';
import { driftStatus } from '../../src/workflow/drift/drift-status';
import { inventoryRecord, timeVerifications } from '../drift-bench/inventory';
import type { DriftBenchOptions } from '../drift-bench/options';
import { maxInWindow } from '../drift-bench/rate-window';
import { sweepWithWorkers } from '../drift-bench/sweep-workers';
import { RATE_GROUP_OF, type RateGroup, type Service } from './model/params';
import { simWorld } from './world';

const PLATFORM = { role: 'platform' as const, name: 'sim' };
/** The pause of `avf worker` after a tick that found nothing to do. */
const IDLE_MS = 500;
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** Calls since `before`, by the family before the colon of `family:operation`. */
function familyCalls(now: Map<string, number>, before: Map<string, number>): Map<string, number> {
  const byFamily = new Map<string, number>();
  for (const [op, n] of now) {
    const family = op.split(':')[0] ?? op;
    byFamily.set(family, (byFamily.get(family) ?? 0) + n - (before.get(op) ?? 0));
  }
  return byFamily;
}

/**
 * `inventory` READY accounts swept by the factory's real sweep job, verifier and store against the
 * AWS model on the virtual clock, remediation off (`npm run sim:drift`).
 */
export async function simulateDriftSweep(o: Omit<DriftBenchOptions, 'out'>) {
  const world = await simWorld({
    seed: 1,
    createConcurrency: 5,
    configure: (c) => ({
      ...c,
      drift: { ...c.drift, remediate: false, verificationsPerMinute: o.perMinute },
    }),
  });
  const { time, deps, log, store } = world;
  try {
    const now = time.now().toISOString();
    for (let i = 0; i < o.inventory; i++) await store.create(inventoryRecord(i, now));
    const starts = timeVerifications(() => time.ms());
    const callsBefore = new Map(log.calls);
    const modelBefore = log.modelCpuMicros;
    const cpuBefore = process.cpuUsage();
    const wallStart = Date.now();
    const startedAt = time.ms();
    await time.run(
      sweepWithWorkers(deps, {
        workers: o.workers,
        sample: o.sample,
        idleMs: IDLE_MS,
        sleep: (ms) => time.sleep(ms),
      }),
    );
    const minutes = (time.ms() - startedAt) / 60_000;
    const { sweep } = await driftStatus(deps, PLATFORM);
    const checked = Math.max(1, sweep?.accountsChecked ?? 0);
    const cpu = process.cpuUsage(cpuBefore);
    const modelMicros = log.modelCpuMicros - modelBefore;
    const maxIn60s = maxInWindow(starts, 60_000);
    const byFamily = familyCalls(log.calls, callsBefore);
    const rates = apiRates(deps.config.config.worker);
    // the most accounts a minute each rate-limited API family allows, at the calls it took per account
    const limits = new Map<string, number>();
    for (const [port, n] of byFamily) {
      const family = RATE_GROUP_OF[port as Service];
      if (family && rates[family] > 0) limits.set(family, (limits.get(family) ?? 0) + n / checked);
    }
    const rateBound = Math.min(
      o.perMinute,
      ...[...limits].map(([family, perAccount]) => (rates[family as RateGroup] * 60) / perAccount),
    );
    const results = {
      inventory: o.inventory,
      accountsVerified: sweep?.accountsChecked ?? 0,
      sweepFinished: Boolean(sweep?.finishedAt),
      workers: o.workers,
      verificationsPerMinuteSetting: o.perMinute,
      virtualMinutes: round(minutes, 2),
      verificationsPerMinuteReached: round(checked / minutes),
      /** The least time the inventory can take at the configured rate. */
      boundMinutes: round(o.inventory / o.perMinute, 2),
      ratio: round(minutes / (o.inventory / o.perMinute), 3),
      /** Verifications started in the busiest 60 s (virtual): at most the setting. */
      maxVerificationsIn60s: maxIn60s,
      withinConfiguredRate: maxIn60s <= o.perMinute,
      awsCallsPerAccount: round((total(log.calls) - total(callsBefore)) / checked),
      /** By API family: Organizations (10 calls/s shared) is what bounds a fast sweep. */
      awsCallsPerAccountByFamily: Object.fromEntries(
        [...byFamily].map(([family, n]) => [family, round(n / checked, 2)]),
      ),
      /** The setting, or fewer where an API family's rate cannot serve it (its calls per account). */
      rateBoundPerMinute: round(rateBound),
      ratioToRateBound: round(minutes / (o.inventory / rateBound), 3),
      factoryCpuMsPerAccount: round((cpu.user + cpu.system - modelMicros) / 1000 / checked, 2),
      wallSeconds: round((Date.now() - wallStart) / 1000),
    };
    return results;
  } finally {
    await world.close();
  }
}
