import { runCrashScenario } from '../test/support/harness/crash-scenario';
import { resultsFile, writeResults } from './results-file';

/**
 * `npm run soak`: the crash-safety scenario at length — the factory (`avf serve`, SQLite store)
 * SIGKILLed 100 times while it vends 20 accounts against moto behind the AWS behaviour layer with
 * seeded faults. Prints requests, kills, duplicates and lost, and writes them to bench-results/soak.json.
 * Options: --requests N --kills N --seed N --out FILE --store sqlite|dynamodb --workers N (with
 * dynamodb: one API and N worker processes on one table, any worker killed).
 */
function option(name: string, fallback: number): number;
function option(name: string, fallback: string): string;
function option(name: string, fallback: number | string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (value === undefined) return fallback;
  return typeof fallback === 'number' ? Number(value) : value;
}

async function main(): Promise<void> {
  const requests = option('requests', 20);
  const kills = option('kills', 100);
  const seed = option('seed', 2026);
  const out = option('out', resultsFile('soak'));
  const store = option('store', 'sqlite') === 'dynamodb' ? 'dynamodb' : 'sqlite';
  const workers = option('workers', 3);
  const result = await runCrashScenario({
    requests,
    kills,
    seed,
    store,
    workers,
    profile: {
      createAccount: { durationMs: 8_000 },
      stackSets: { operationMs: 4_000 },
      assignments: { durationMs: 1_000 },
      faults: { throttleRate: 0.03, unavailableRate: 0.02 },
    },
    killAfterMs: [500, 5_000],
    spreadSubmissions: true,
    settleTimeoutMs: 300_000,
    onProgress: (line) => process.stdout.write(`${line}\r`),
  });
  const figures = {
    at: new Date().toISOString(),
    seed,
    store: store === 'dynamodb' ? `dynamodb, 1 API + ${workers} workers` : 'sqlite, 1 process',
    requests: result.requests,
    kills: result.kills,
    ready: result.ready,
    duplicates: result.duplicates,
    lost: result.lost,
    failed: result.failed,
    stuck: result.stuck,
    createAccountExecuted: result.createAccountExecuted,
    createAccountRejected: result.createAccountRejected,
    durationSeconds: Math.round(result.durationMs / 1000),
  };
  writeResults(out, figures);
  console.log(
    `\nrequests ${figures.requests}  kills ${figures.kills}  ready ${figures.ready}  duplicates ${figures.duplicates}  lost ${figures.lost}  (${figures.durationSeconds} s) → ${out}`,
  );
  for (const f of result.failed) console.log(`FAILED ${f.email}: ${f.reason}`);
  for (const s of result.stuck) console.log(`STUCK ${s.email}: ${s.status} ${s.detail}`);
  process.exitCode = figures.duplicates === 0 && figures.lost === 0 ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
