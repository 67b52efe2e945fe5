import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app';
import { bufferedLogDestination } from '../../api/log-options';
import { parseConfig, type LoadedConfig } from '../../src/config/load';
import { patchConfigText } from '../../test/support/harness/local-org';
import { openStore, type Store } from '../../src/store/open-store';
import { systemClock } from '../../src/workflow/clock';
import type { Principal } from '../../src/domain/principal';
import { submitAccountRequest } from '../../src/workflow/intake';
import { BENCH_TOKEN, benchRequestBody, UNLIMITED_RATE } from './bodies';

const EXAMPLE_CONFIG = resolve(__dirname, '../../factory.config.yaml');
const PRINCIPAL: Principal = { role: 'platform', name: 'bench', id: 'bench' };

/**
 * The real HTTP API as `avf serve --no-worker` builds it (auth, rate limits, audit, validation,
 * serialisation, request logging at `info` as `avf serve` logs), over a SQLite store in a temp
 * dir, with the example config's rate limits lifted. The log lines go to a file in the temp dir,
 * buffered as `avf serve` buffers its stdout. No organisation lookup of emails: that would measure
 * the emulator, not the API.
 */
export interface BenchApi {
  app: FastifyInstance;
  store: Store;
  config: LoadedConfig;
  /** Stores requests (through the intake, as a POST would) until the store holds `total`; their ids. */
  fillTo(total: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function openBenchApi(): Promise<BenchApi> {
  const text = patchConfigText(readFileSync(EXAMPLE_CONFIG, 'utf8'), { api: { rateLimit: UNLIMITED_RATE } });
  const config = parseConfig(text, EXAMPLE_CONFIG);
  const dir = mkdtempSync(join(tmpdir(), 'avf-bench-api-'));
  const store = await openStore(`sqlite:${join(dir, 'avf.db')}`);
  const logger = { level: 'info', stream: bufferedLogDestination(join(dir, 'api.log')) };
  const app = buildApp({ store, config, clock: systemClock, adminToken: BENCH_TOKEN, logger });
  const ids: string[] = [];
  return {
    app,
    store,
    config,
    async fillTo(total) {
      while (ids.length < total) {
        const body = benchRequestBody('stored', ids.length);
        ids.push((await submitAccountRequest({ store, config, clock: systemClock }, PRINCIPAL, body)).id);
      }
      return ids;
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
