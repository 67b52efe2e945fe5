import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { createAwsPorts } from '../../../src/aws';
import { applyBootstrap } from '../../../src/bootstrap';
import { loadConfig, type LoadedConfig } from '../../../src/config/load';
import { startMoto, type LocalAws } from '../../../src/local/moto';
import {
  operationDurationScaleFor,
  timeScaleFor,
  type BehaviourProfileInput,
} from '../../../src/local/aws-behaviour/profile';
import { startBehaviourProxy, type BehaviourProxy } from '../../../src/local/aws-behaviour/proxy';

const REPO = resolve(__dirname, '../../..');

/** moto behind the behaviour layer, with the example organisation bootstrapped: what harnesses vend into. */
export interface LocalOrg {
  moto: LocalAws;
  proxy: BehaviourProxy;
  /** A copy of the example config (absolute paths, short leases, the patch applied) in `dir`. */
  config: LoadedConfig;
  dir: string;
  /** Environment for a factory process (or createRuntime) that should use this organisation. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Settings to change in the copied config, as nested keys: `{ worker: { batchSize: 250 } }`. */
export interface ConfigPatch {
  [key: string]: string | number | boolean | ConfigPatch;
}

/** Sets every leaf of `patch` in the YAML document, keeping the rest of it (and its comments). */
export function patchConfigText(text: string, patch: ConfigPatch): string {
  const doc = parseDocument(text);
  const visit = (node: ConfigPatch, path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'object') visit(value, [...path, key]);
      else doc.setIn([...path, key], value);
    }
  };
  visit(patch, []);
  return doc.toString();
}

/**
 * The example config with absolute template paths (so it can live in a temp dir), a short lease
 * (so that a killed worker's requests are picked up again within seconds) and `patch` applied.
 */
function writeConfig(dir: string, leaseSeconds: number, patch: ConfigPatch): string {
  const text = readFileSync(join(REPO, 'factory.config.yaml'), 'utf8').replace(
    /(file|template|inlinePolicyFile): stacksets\//g,
    `$1: ${REPO}/stacksets/`,
  );
  const file = join(dir, 'factory.config.yaml');
  writeFileSync(file, patchConfigText(patchConfigText(text, { worker: { leaseSeconds } }), patch));
  return file;
}

export async function startLocalOrg(options: {
  profile: BehaviourProfileInput;
  leaseSeconds?: number;
  seed?: number;
  /** Changes to the factory config, e.g. `{ worker: { timeScale: 0.1 } }`; applied after the lease. */
  configPatch?: ConfigPatch;
}): Promise<LocalOrg> {
  const dir = mkdtempSync(join(tmpdir(), 'avf-local-org-'));
  const moto = await startMoto({ seed: options.seed ?? 7 });
  const proxy = await startBehaviourProxy({ upstream: moto.endpoint, profile: options.profile });
  // The factory's delays compressed like the AWS it talks to, unless the caller's patch says otherwise.
  const patch = options.configPatch ?? {};
  const worker = typeof patch.worker === 'object' ? patch.worker : {};
  const config = loadConfig(
    writeConfig(dir, options.leaseSeconds ?? 5, {
      ...patch,
      worker: {
        timeScale: timeScaleFor(options.profile),
        operationDurationScale: operationDurationScaleFor(options.profile),
        ...worker,
      },
    }),
  );
  const env = {
    AWS_ENDPOINT_URL: proxy.endpoint,
    AVF_EMULATOR: '1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: config.config.homeRegion,
    AVF_CONFIG: config.file,
  };
  const aws = createAwsPorts({
    region: env.AWS_REGION,
    endpoint: proxy.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  // The organisation is the stage, not the test: no faults while it is built.
  proxy.setFaults(false);
  await applyBootstrap(config, aws, { createGroups: true, pollIntervalMs: 200, emulator: true });
  proxy.setFaults(true);
  return {
    moto,
    proxy,
    config,
    dir,
    env,
    async stop() {
      await proxy.stop();
      await moto.stop();
    },
  };
}
