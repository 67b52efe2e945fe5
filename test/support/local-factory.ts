import { resolve } from 'node:path';
import { applyBootstrap } from '../../src/bootstrap';
import { createRuntime, INSTANT_TIME_SCALE, type Runtime } from '../../src/cli/runtime';
import { startMoto, type LocalAws } from '../../src/local/moto';
import { startWorkerLoop } from '../../src/workflow/worker-loop';

export const EXAMPLE_CONFIG_FILE = resolve(__dirname, '../../factory.config.yaml');

/** moto plus the example organisation bootstrapped into it, with a worker ticking: what integration tests vend on. */
export interface LocalFactory {
  moto: LocalAws;
  runtime: Runtime;
  /** SDK client settings for the management account on moto. */
  sdk(region?: string): {
    region: string;
    endpoint: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  stop(): Promise<void>;
}

/**
 * Starts moto on a free port, points the process's AWS environment at it, bootstraps the example
 * organisation (demo mode: groups created) and starts a worker. `stop()` undoes all of it.
 */
export async function startLocalFactory(options: { seed: number; workerId: string }): Promise<LocalFactory> {
  const saved = { ...process.env };
  const moto = await startMoto({ seed: options.seed });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
  });
  const runtime = await createRuntime({
    configFile: EXAMPLE_CONFIG_FILE,
    storeSpec: 'memory:',
    timeScale: INSTANT_TIME_SCALE,
  });
  await applyBootstrap(runtime.config, runtime.aws, { createGroups: true, sleep: () => Promise.resolve() });
  const loop = startWorkerLoop(runtime.newWorker(options.workerId), { intervalMs: 50 });
  return {
    moto,
    runtime,
    sdk: (region = 'us-east-1') => ({
      region,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    async stop() {
      await loop.stop();
      await runtime.close();
      await moto.stop();
      process.env = saved;
    },
  };
}
