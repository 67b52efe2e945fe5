import { buildApp } from '../../../api/app';
import { bufferedLogDestination } from '../../../api/log-options';
import { systemClock } from '../../workflow/clock';
import { startWorkerLoop } from '../../workflow/worker-loop';
import { checkAwsAccess } from '../../app/access-check';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../app/runtime';

export interface ServeOptions extends RuntimeOptions {
  port?: number;
  host?: string;
  worker: boolean;
  /** Log lines as JSON (pino); the demo turns it off to keep its own output readable. */
  log?: boolean;
}

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/** `avf serve`: the HTTP API, with the worker in the same process unless --no-worker. */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const runtime = await createCheckedRuntime(options);
  const worker = options.worker ? runtime.newWorker() : undefined;
  const wakeUp: { worker?: () => void } = {};
  const app = buildApp({
    store: runtime.store,
    config: runtime.config,
    clock: systemClock,
    adminToken: process.env.AVF_ADMIN_TOKEN,
    accountDirectory: runtime.aws.organizations,
    accessCatalog: runtime.deps.accessCatalog,
    lifecycle: runtime.deps,
    // each change the API stores wakes this process's worker from its rest at once
    ...(worker ? { wakeWorkers: () => Promise.resolve(wakeUp.worker?.()) } : {}),
    logger:
      options.log === false
        ? false
        : { level: process.env.LOG_LEVEL ?? 'info', stream: bufferedLogDestination() },
  });
  const port = options.port ?? Number(process.env.PORT ?? 8080);
  const url = await app.listen({ port, host: options.host ?? process.env.HOST ?? '127.0.0.1' });
  const loop = worker ? startWorkerLoop(worker, { log: app.log }) : undefined;
  if (loop) wakeUp.worker = () => loop.wake();
  return {
    url,
    async stop() {
      await loop?.stop();
      await app.close();
      await runtime.close();
    },
  };
}

/**
 * The runtime, once the AWS credentials are known to reach the organisation (see checkAwsAccess):
 * a factory without access fails here with one line instead of answering every request with an error.
 */
export async function createCheckedRuntime(options: RuntimeOptions): Promise<Runtime> {
  const runtime = await createRuntime(options);
  try {
    await checkAwsAccess(runtime.aws, {
      purpose: 'factory',
      stackSetsCallAs: process.env.AVF_STACKSETS_CALL_AS,
    });
    return runtime;
  } catch (error) {
    await runtime.close();
    throw error;
  }
}

/** Stops cleanly on SIGINT / SIGTERM. */
export function stopOnSignal(stop: () => Promise<void>): void {
  const handler = () => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
