/**
 * Web console benchmark (`npm run console-bench`; not part of `npm test`): 1,000 stored requests
 * in an in-memory store behind the real app, the console in the system Chromium. Prints, and
 * writes to bench-results/console.json:
 *  - the page weight: the page, script and styles the console loads, raw and gzipped;
 *  - how long after navigation to the requests page its first 50 rows are on screen (the list is
 *    usable then: links, filters and "Show more" work), over --runs (7) fresh page loads.
 * Targets: under 200 KB gzipped, under 1 s. BENCH_DEBUG=1 prints each load's resource timings.
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildApp } from '../api/app';
import { createToken } from '../api/auth';
import { loadConfig } from '../src/config/load';
import { initialSteps, REQUEST_STATUSES, type RequestRecord } from '../src/domain/account-request';
import { MemoryStore } from '../src/store/memory-store';
import { launchChromium } from '../test/support/browser';
import { resultsFile, writeResults } from './results-file';

const REQUESTS = 1000;
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const OUT = resultsFile('console');

function storedRequest(i: number): RequestRecord {
  const at = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString();
  const id = `req-${i.toString(16).padStart(16, '0')}`;
  return {
    schemaVersion: 1,
    id,
    version: 1,
    status: REQUEST_STATUSES[i % REQUEST_STATUSES.length] ?? 'QUEUED',
    phase: 'create-account',
    team: i % 3 === 0 ? 'search' : 'payments',
    spec: {
      accountName: `bench-${i}`,
      email: `aws+bench-${i}@example.com`,
      organizationalUnit: 'Workloads/NonProd',
      owner: { team: 'payments', email: 'payments-lead@example.com' },
      costCenter: `CC-${i % 7}`,
      budget: { monthlyLimitUsd: 100, thresholdsPercent: [80, 100] },
      access: [],
      tags: { environment: 'dev' },
    },
    handles: {},
    attempts: 0,
    nextCheckAt: at,
    createdAt: at,
    updatedAt: at,
    createdBy: 'bench',
    steps: initialSteps(),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const kb = (n: number) => Math.round(n / 102.4) / 10;

async function main(): Promise<void> {
  const store = new MemoryStore();
  for (let i = 0; i < REQUESTS; i++) await store.create(storedRequest(i));
  const token = await createToken(store, { role: 'platform', name: 'bench' });
  const app = buildApp({
    store,
    config: loadConfig(resolve(__dirname, '../factory.config.yaml')),
    clock: { now: () => new Date() },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchChromium();
  try {
    const page = await (await fetch(`${url}/`)).text();
    const files = [...page.matchAll(/(?:src|href)="(\/console\/[^"]+)"/g)].map((m) => m[1] ?? '');
    const weights = await Promise.all(
      ['/', ...files].map(async (path) => {
        const body = Buffer.from(await (await fetch(`${url}${path}`)).arrayBuffer());
        return { path, bytes: body.length, gzipped: gzipSync(body).length };
      }),
    );
    const gzipped = weights.reduce((n, w) => n + w.gzipped, 0);

    const context = await browser.newContext();
    const signIn = await context.request.post(`${url}/console/session`, { data: { token } });
    if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
    const timings: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const tab = await context.newPage();
      await tab.goto(`${url}/#/requests`);
      // A function, not a string: the page's CSP forbids eval. Typed without the DOM's types.
      await tab.waitForFunction(
        () => {
          const doc = (
            globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
          ).document;
          return doc.querySelectorAll('main table tbody tr').length >= 50;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      timings.push(await tab.evaluate<number>('performance.now()'));
      if (process.env.BENCH_DEBUG)
        console.log(
          await tab.evaluate<string>(
            "JSON.stringify(performance.getEntries().map((e) => [e.name.replace(location.origin, ''), Math.round(e.startTime), Math.round(e.responseEnd ?? e.duration)]))",
          ),
        );
      await tab.close();
    }
    const result = {
      at: new Date().toISOString(),
      // The machine is shared: its load during the run says how much of the time was waiting for a core.
      machine: { cores: cpus().length, loadAverage1m: Number(loadavg()[0]?.toFixed(1)) },
      storedRequests: REQUESTS,
      runs: RUNS,
      requestsPageUsableMs: {
        median: Math.round(median(timings)),
        max: Math.round(Math.max(...timings)),
        all: timings.map(Math.round),
      },
      targetMs: 1000,
      assets: weights,
      gzippedKB: kb(gzipped),
      targetGzippedKB: 200,
    };
    console.log(
      `console page weight: ${kb(gzipped)} KB gzipped (${weights.map((w) => `${w.path} ${kb(w.gzipped)} KB`).join(', ')}); target < 200 KB`,
    );
    console.log(
      `requests page usable (first 50 of ${REQUESTS} rows on screen) after navigation: median ${result.requestsPageUsableMs.median} ms, max ${result.requestsPageUsableMs.max} ms over ${RUNS} loads; target < 1000 ms (load average ${result.machine.loadAverage1m} on ${result.machine.cores} cores)`,
    );
    writeResults(OUT, result);
    console.log(`written to ${OUT}`);
  } finally {
    await browser.close();
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
