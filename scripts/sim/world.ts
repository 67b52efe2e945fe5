import { resolve } from 'node:path';
import type { FactoryConfig } from '../../src/config/schema';
import { loadConfig, type LoadedConfig } from '../../src/config/load';
import { apiRates } from '../../src/config/worker-schema';
import { OrgDirectory } from '../../src/domain/org-directory';
import { seededRandom } from '../../src/local/aws-behaviour/prng';
import { ApiRateLimiter } from '../../src/aws/rate-limited';
import { openStore, type Store } from '../../src/store/open-store';
import { CONTROLS } from '../../src/verify/controls';
import { withOrganisationReadCache } from '../../src/verify/organisation-read-cache';
import { Verifier } from '../../src/verify/verifier';
import { storeTag } from '../../src/workflow/coordination/store-identity';
import type { WorkflowDeps } from '../../src/workflow/step';
import { bootstrapFake } from '../../test/support/bootstrap-fake';
import { FakeAws } from '../../test/support/fake-aws';
import { meteredAws } from './model/metered-aws';
import { defaultParams, type ModelParams } from './model/params';
import { TimedAws } from './model/timed-aws';
import { VirtualTime } from './virtual-time';

/** `length` hex digits a call, from a seeded generator: ids that are the same on every run of a seed. */
export function seededHex(seed: number, length: number): () => string {
  const random = seededRandom(seed);
  return () => Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
}

const EXAMPLE_CONFIG = resolve(__dirname, '../../factory.config.yaml');

/** The example organisation, bootstrapped in the AWS model on a virtual clock, and the factory's deps over it. */
export interface SimWorld {
  params: ModelParams;
  config: LoadedConfig;
  time: VirtualTime;
  timed: TimedAws;
  log: ReturnType<typeof meteredAws>['log'];
  store: Store;
  deps: WorkflowDeps;
  close(): Promise<void>;
}

export async function simWorld(options: {
  seed: number;
  createConcurrency: number;
  /** Accounts already in the organisation, made outside the factory (in the root). */
  existingAccounts?: number;
  configure?: (config: FactoryConfig) => FactoryConfig;
}): Promise<SimWorld> {
  const params = defaultParams({ seed: options.seed, createConcurrency: options.createConcurrency });
  const loaded = loadConfig(EXAMPLE_CONFIG);
  const worker = { ...loaded.config.worker, maxConcurrentAccountCreations: options.createConcurrency };
  const base = { ...loaded.config, worker };
  const config = { ...loaded, config: options.configure ? options.configure(base) : base };
  const fake = new FakeAws();
  await bootstrapFake(fake, config);
  for (let i = 0; i < (options.existingAccounts ?? 0); i++)
    fake.organizations.addAccount({ name: `existing-${i}`, email: `aws+existing-${i}@example.com` });
  const time = new VirtualTime();
  const timed = new TimedAws(fake, time, params);
  // The factory's own client-side limits, as src/app/runtime.ts wires them, on the virtual clock:
  // every request the model stands for (each page, each retry) takes its token from them.
  const limiter = new ApiRateLimiter(apiRates(config.config.worker), {
    nowMs: () => time.ms(),
    sleep: (ms) => time.sleep(ms),
  });
  const metered = meteredAws(
    timed.ports(),
    time,
    params,
    seededRandom(options.seed + 7),
    timed.listings(),
    limiter,
  );
  const aws = metered.aws;
  const store: Store = await openStore(`sqlite::memory:`);
  const directory = new OrgDirectory(aws);
  const deps: WorkflowDeps = {
    store,
    aws,
    config,
    clock: time,
    directory,
    // The model answers as AWS does: no emulator is declared, every ERROR blocks READY.
    verifier: new Verifier(
      CONTROLS,
      {
        aws: withOrganisationReadCache(aws, time, config.config.worker.organisationReadCacheSeconds * 1000),
        config,
        directory,
      },
      false,
    ),
    random: seededRandom(options.seed),
    storeTag: await storeTag(store, time.now(), seededHex(options.seed + 11, 32)),
  };
  return { params, config, time, timed, log: metered.log, store, deps, close: () => store.close() };
}
