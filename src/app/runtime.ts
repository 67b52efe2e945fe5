import { loadConfig, type LoadedConfig } from '../config/load';
import type { FactoryConfig } from '../config/schema';
import { apiRates } from '../config/worker-schema';
import type { AwsPorts } from '../domain/ports/aws';
import { ApiRateLimiter, createAwsPorts, ratesAt } from '../aws';
import { openStore, type Store } from '../store/open-store';
import { CONTROLS } from '../verify/controls';
import { Verifier } from '../verify/verifier';
import { withOrganisationReadCache } from '../verify/organisation-read-cache';
import { systemClock } from '../workflow/clock';
import { OrgDirectory } from '../domain/org-directory';
import { IdentityCenterCatalog } from '../workflow/intake/access-catalog';
import type { LifecycleDeps } from '../workflow/lifecycle/deps';
import { Worker } from '../workflow/worker';
import { HttpWebhookSender } from '../http/webhook-sender';
import { storeTag } from '../workflow/coordination/store-identity';

export const DEFAULT_STORE = 'sqlite:./data/avf.db';

/**
 * The composition root: everything an entry point needs (the `avf` command, the Lambda handlers, the
 * tests), wired from the environment (`AVF_CONFIG`, `AVF_STORE`, `AWS_REGION`; README, "Commands").
 */
export interface Runtime {
  config: LoadedConfig;
  store: Store;
  aws: AwsPorts;
  /** The workflow's deps, with the API's Identity Center pre-flight catalog (cached a minute). */
  deps: LifecycleDeps & { accessCatalog: IdentityCenterCatalog };
  newWorker(id?: string): Worker;
  close(): Promise<void>;
}

/** For an emulator whose operations finish at once: a 4 s poll becomes 20 ms. */
export const INSTANT_TIME_SCALE = 0.005;
/** The worker timing of an emulator whose operations finish at once: checked straight away. */
export const INSTANT_AWS = { timeScale: INSTANT_TIME_SCALE, operationDurationScale: 0 } as const;

export interface RuntimeOptions {
  configFile?: string;
  storeSpec?: string;
  /**
   * Replaces `worker.timeScale`: the demo and the tests against plain moto, where every AWS
   * operation finishes at once, need not wait AWS's usual durations between checks.
   */
  timeScale?: number;
  /** Replaces `worker.operationDurationScale` (0 there: operations are checked straight away). */
  operationDurationScale?: number;
  /** Changes the loaded config before anything is built from it (tests, local runs). */
  configure?: (config: FactoryConfig) => FactoryConfig;
}

export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const file = loadConfig(options.configFile ?? process.env.AVF_CONFIG);
  const loaded = options.configure ? { ...file, config: options.configure(file.config) } : file;
  const timing = {
    ...(options.timeScale === undefined ? {} : { timeScale: options.timeScale }),
    ...(options.operationDurationScale === undefined
      ? {}
      : { operationDurationScale: options.operationDurationScale }),
  };
  const config = {
    ...loaded,
    config: { ...loaded.config, worker: { ...loaded.config.worker, ...timing } },
  };
  const store = await openStore(options.storeSpec ?? process.env.AVF_STORE ?? DEFAULT_STORE);
  const aws = createAwsPorts({
    region: process.env.AWS_REGION ?? config.config.homeRegion,
    memberRoleName: config.config.organization.accessRoleName,
    limiter: new ApiRateLimiter(ratesAt(apiRates(config.config.worker), config.config.worker.timeScale)),
  });
  const directory = new OrgDirectory(aws);
  const verifierAws = withOrganisationReadCache(
    aws,
    systemClock,
    config.config.worker.organisationReadCacheSeconds * 1000,
  );
  const verifier = new Verifier(CONTROLS, { aws: verifierAws, config, directory });
  const deps = {
    store,
    aws,
    config,
    clock: systemClock,
    directory,
    verifier,
    webhooks: new HttpWebhookSender(config.config.events.webhooks),
    accessCatalog: new IdentityCenterCatalog(aws.identityCenter, systemClock),
    storeTag: await storeTag(store, systemClock.now()),
  };
  return {
    config,
    store,
    aws,
    deps,
    newWorker: (id?: string) => new Worker(deps, { id }),
    close: () => store.close(),
  };
}
