import { createRuntime } from '../../app/runtime';
import { awsThrottlesSoFar } from '../../metrics/registry';
import { tickUntilStopped } from '../../workflow/worker-loop';
import { sampleGauges } from './gauges';
import { emitMetric, METRICS, reportAdvanced } from './metrics';
import { WORKER_SCHEDULE_MS } from './worker-schedule';

/** Stop starting ticks this long before the invocation's deadline (a tick is short). */
const RESERVE_MS = 15_000;
/** Pause after a tick that found nothing due. */
const IDLE_MS = 2_000;

const ready = createRuntime().then((runtime) => ({
  worker: runtime.newWorker(`lambda-${process.pid}`),
  store: runtime.store,
}));

/**
 * The worker on Lambda: invoked every minute by an EventBridge schedule and at once when a
 * request is stored (a DynamoDB stream event). It runs the same tick loop as `avf worker` until
 * its time is nearly up, or until nothing of any kind falls due before the next scheduled
 * invocation (a minute) and none of its steps runs: an idle deployment costs one short invocation a
 * minute, and work due sooner never waits more than a tick's pause. Overlapping invocations share
 * the work through leases. It writes the dashboard's metrics as it goes (handlers/metrics.ts) and
 * samples its gauges once at the end.
 */
export async function handler(
  _event: unknown,
  context: { getRemainingTimeInMillis(): number },
): Promise<{ ticks: number; advanced: number }> {
  const { worker, store } = await ready;
  const throttledBefore = awsThrottlesSoFar();
  let advanced = 0;
  const ticks = await tickUntilStopped(worker, {
    idleMs: IDLE_MS,
    stopped: () => context.getRemainingTimeInMillis() <= RESERVE_MS,
    stopWhenIdleForMs: WORKER_SCHEDULE_MS,
    onTick: (result) => {
      advanced += result.advanced.length;
      reportAdvanced(result.advanced);
    },
    onError: (err) =>
      emitMetric(METRICS.workerErrors, 1, { error: err instanceof Error ? err.message : String(err) }),
  });
  emitMetric(METRICS.awsThrottles, awsThrottlesSoFar() - throttledBefore);
  await sampleGauges(store).catch((err: unknown) =>
    emitMetric(METRICS.workerErrors, 1, {
      error: `gauges: ${err instanceof Error ? err.message : String(err)}`,
    }),
  );
  return { ticks, advanced };
}
