import pino from 'pino';
import { startWorkerLoop } from '../../workflow/worker-loop';
import type { RuntimeOptions } from '../../app/runtime';
import { createCheckedRuntime, stopOnSignal } from './serve';

/** `avf worker`: the reconciler alone; several may run against one store. */
export async function runWorker(options: RuntimeOptions): Promise<void> {
  const runtime = await createCheckedRuntime(options);
  const worker = runtime.newWorker();
  const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
  log.info({ worker: worker.id }, 'worker started');
  const loop = startWorkerLoop(worker, { log });
  stopOnSignal(async () => {
    await loop.stop();
    await runtime.close();
  });
}
