import { createRuntime } from '../../app/runtime';
import { backgroundWork } from '../../workflow/background';
import { emitMetric, METRICS } from './metrics';

/** Stop starting ticks this long before the invocation's deadline (a tick is short). */
const RESERVE_MS = 15_000;
/** Pause after a tick that found nothing due. */
const IDLE_MS = 2_000;

const ready = createRuntime().then((runtime) => {
  const worker = runtime.newWorker(`lambda-${process.pid}`);
  return { worker, background: backgroundWork(runtime.deps, worker.id) };
});

/**
 * The reconciler on Lambda: invoked every minute by an EventBridge schedule and at once when a
 * request is stored (a DynamoDB stream event). It ticks until its time is nearly up, so work
 * never waits more than a tick's pause; overlapping invocations share the work through leases.
 * After each tick it does the background work `avf worker` does (rollouts, the drift sweep, event
 * deliveries).
 */
export async function handler(
  _event: unknown,
  context: { getRemainingTimeInMillis(): number },
): Promise<{ ticks: number; advanced: number }> {
  const { worker, background } = await ready;
  let ticks = 0;
  let advanced = 0;
  while (context.getRemainingTimeInMillis() > RESERVE_MS) {
    ticks++;
    try {
      const result = await worker.tick();
      advanced += result.advanced.length;
      for (const record of result.advanced.filter((r) => r.status === 'FAILED')) {
        emitMetric(METRICS.requestsFailed, 1, {
          requestId: record.id,
          phase: record.phase,
          code: record.error?.code ?? 'unknown',
        });
      }
      const busy = await background();
      if (result.claimed > 0 || busy) continue;
    } catch (err) {
      emitMetric(METRICS.workerErrors, 1, { error: err instanceof Error ? err.message : String(err) });
    }
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  }
  return { ticks, advanced };
}
