import { createRuntime } from '../../app/runtime';
import { tickUntilStopped } from '../../workflow/worker-loop';
import { emitMetric, METRICS } from './metrics';

/** Stop starting ticks this long before the invocation's deadline (a tick is short). */
const RESERVE_MS = 15_000;
/** Pause after a tick that found nothing due. */
const IDLE_MS = 2_000;

const ready = createRuntime().then((runtime) => runtime.newWorker(`lambda-${process.pid}`));

/**
 * The worker on Lambda: invoked every minute by an EventBridge schedule and at once when a
 * request is stored (a DynamoDB stream event). It runs the same tick loop as `avf worker` until
 * its time is nearly up, so work never waits more than a tick's pause; overlapping invocations
 * share the work through leases.
 */
export async function handler(
  _event: unknown,
  context: { getRemainingTimeInMillis(): number },
): Promise<{ ticks: number; advanced: number }> {
  const worker = await ready;
  let advanced = 0;
  const ticks = await tickUntilStopped(worker, {
    idleMs: IDLE_MS,
    stopped: () => context.getRemainingTimeInMillis() <= RESERVE_MS,
    onTick: (result) => {
      advanced += result.advanced.length;
      for (const record of result.advanced.filter((r) => r.status === 'FAILED')) {
        emitMetric(METRICS.requestsFailed, 1, {
          requestId: record.id,
          phase: record.phase,
          code: record.error?.code ?? 'unknown',
        });
      }
    },
    onError: (err) =>
      emitMetric(METRICS.workerErrors, 1, { error: err instanceof Error ? err.message : String(err) }),
  });
  return { ticks, advanced };
}
