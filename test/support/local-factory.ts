import { resolve } from 'node:path';
import { applyBootstrap } from '../../src/bootstrap';
import { createRuntime, INSTANT_AWS, type Runtime, type RuntimeOptions } from '../../src/app/runtime';
import { testKinds } from './job-kinds';
import {
  startBehaviourProxy,
  type BehaviourProfileInput,
  type BehaviourProxy,
} from '../../src/local/aws-behaviour';
import { startMoto, type LocalAws } from '../../src/local/moto';
import { Worker } from '../../src/workflow/worker';
import { startWorkerLoop } from '../../src/workflow/worker-loop';

export const EXAMPLE_CONFIG_FILE = resolve(__dirname, '../../factory.config.yaml');

/** moto plus the example organisation bootstrapped into it, with a worker ticking: what integration tests vend on. */
export interface LocalFactory {
  moto: LocalAws;
  /** The AWS behaviour layer in front of moto, when asked for. */
  proxy?: BehaviourProxy;
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
 * Starts moto on a free port (behind the AWS behaviour layer with `behaviour`), points the
 * process's AWS environment at it, bootstraps the example organisation (demo mode: groups created)
 * and starts a worker. `stop()` undoes all of it.
 */
export async function startLocalFactory(options: {
  seed: number;
  workerId: string;
  /** Changes the example config (e.g. an events bus) before the runtime is built. */
  configure?: RuntimeOptions['configure'];
  /** Runs every kind of job; without it, only requests, closures and redeploys (not rollouts, drift sweeps, event deliveries). */
  background?: boolean;
  /** Puts the AWS behaviour layer with this profile between the factory (and `sdk()`) and moto. */
  behaviour?: BehaviourProfileInput;
  /**
   * false: the factory runs without AVF_EMULATOR=1, as against an endpoint override of real AWS
   * (the organisation is still bootstrapped as on the emulator, to have a stage).
   */
  declareEmulator?: boolean;
}): Promise<LocalFactory> {
  const saved = { ...process.env };
  const moto = await startMoto({ seed: options.seed });
  const proxy = options.behaviour
    ? await startBehaviourProxy({ upstream: moto.endpoint, profile: options.behaviour })
    : undefined;
  const endpoint = proxy?.endpoint ?? moto.endpoint;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
  });
  if (options.declareEmulator === false) delete process.env.AVF_EMULATOR;
  const runtime = await createRuntime({
    configFile: EXAMPLE_CONFIG_FILE,
    storeSpec: 'memory:',
    ...INSTANT_AWS,
    ...(options.configure ? { configure: options.configure } : {}),
  });
  await applyBootstrap(runtime.config, runtime.aws, {
    createGroups: true,
    sleep: () => Promise.resolve(),
    emulator: true,
  });
  const kinds = testKinds({ background: options.background ?? false });
  const worker = new Worker(runtime.deps, { id: options.workerId, kinds });
  const loop = startWorkerLoop(worker, { intervalMs: 50 });
  return {
    moto,
    ...(proxy ? { proxy } : {}),
    runtime,
    sdk: (region = 'us-east-1') => ({
      region,
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    async stop() {
      await loop.stop();
      await runtime.close();
      await proxy?.stop();
      await moto.stop();
      process.env = saved;
    },
  };
}
