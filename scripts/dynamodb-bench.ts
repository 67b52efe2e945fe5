import { BENCH_TOKEN } from './bench/bodies';
import { buildApp } from '../api/app';
import { createRuntime, type Runtime } from '../src/app/runtime';
import { startWorkerLoop, tickUntilStopped } from '../src/workflow/worker-loop';
import { PROFILES } from '../src/local/aws-behaviour/profile';
import { startLocalOrg } from '../test/support/harness/local-org';
import { estimateCapacity } from './dynamodb/capacity';
import { startDynamoRecorder, type DynamoRecorder, type RecordedDynamoCall } from './dynamodb/recorder';
import { exerciseReads, seedRequests, type SeedShape } from './dynamodb/scale';
import { SAMPLE_REQUEST } from '../src/local/sample-request';
import { TABLE } from '../src/store/dynamodb/table-schema';
import { openStore } from '../src/store/open-store';
import { resultsFile, writeResults } from './results-file';

/**
 * `npm run bench:dynamodb`: the DynamoDB store at an organisation's size on moto, every call
 * recorded on the wire. (1) Seeds --requests stored requests (--accounts of them READY with an
 * account), then runs every listing and lookup: the operations sent (a Scan would be reported)
 * and how long the seed and the reads took. (2) Vends one account through the API and the worker
 * on a fresh table: the DynamoDB calls one vend makes and their read and write units, sized by
 * DynamoDB's rules and as moto reports them. (3) An idle worker on a bootstrapped organisation:
 * the DynamoDB calls a second of `avf worker`'s loop, which rests while nothing falls due, against
 * the same worker ticking every 500 ms, each measured for --idle-seconds after as long a warm-up
 * (its standing jobs run first). Writes bench-results/dynamodb-bench.json.
 * Options: --requests N (100000) --accounts N (10000) --teams N (50) --idle-seconds N (30)
 *   --only vend,scale,idle (all three) --out FILE
 */
function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const outIndex = process.argv.indexOf('--out');
const OUT = outIndex >= 0 ? process.argv[outIndex + 1]! : resultsFile('dynamodb-bench');
const INDEX_KEYS = TABLE.indexes.map((i) => i.partitionKey);
const onlyIndex = process.argv.indexOf('--only');
const PARTS = new Set((onlyIndex >= 0 ? process.argv[onlyIndex + 1]! : 'vend,scale,idle').split(','));

function tally(calls: RecordedDynamoCall[]) {
  const byOperation: Record<string, number> = {};
  let read = 0;
  let write = 0;
  let motoUnits = 0;
  for (const c of calls) {
    byOperation[c.operation] = (byOperation[c.operation] ?? 0) + 1;
    const units = estimateCapacity(c, INDEX_KEYS);
    read += units.read;
    write += units.write;
    motoUnits += c.consumedUnits;
  }
  return {
    calls: calls.length,
    byOperation,
    readUnits: read,
    writeUnits: write,
    motoReportedUnits: motoUnits,
  };
}

async function scale(shape: SeedShape) {
  const org = await startLocalOrg({ profile: PROFILES.instant });
  const recorder = await startDynamoRecorder(org.moto.endpoint);
  Object.assign(process.env, org.env);
  try {
    const store = await openStore('dynamodb:avf-bench-scale', { endpoint: recorder.endpoint });
    const seedStart = Date.now();
    await seedRequests(org.moto.endpoint, 'avf-bench-scale', shape, {
      parallel: 4,
      onProgress: (done) => done % 5000 === 0 && process.stdout.write(`seeded ${done}\r`),
    });
    const seedSeconds = (Date.now() - seedStart) / 1000;
    recorder.reset();
    const readStart = Date.now();
    const pages = await exerciseReads(store, shape, 3);
    const readSeconds = (Date.now() - readStart) / 1000;
    const queries = recorder.calls.filter((c) => c.operation === 'Query');
    await store.close();
    return {
      ...shape,
      seedSeconds,
      pages,
      readSeconds,
      msPerPageOnMoto: Math.round((readSeconds * 1000) / pages),
      scans: recorder.calls.filter((c) => c.operation === 'Scan').length,
      queriesOnIndexes: [...new Set(queries.map((q) => q.index))].sort(),
      reads: tally(recorder.calls),
    };
  } finally {
    await recorder.stop();
    await org.stop();
  }
}

async function oneVend() {
  const org = await startLocalOrg({ profile: PROFILES.instant });
  const recorder = await startDynamoRecorder(org.proxy.endpoint);
  Object.assign(process.env, { ...org.env, AWS_ENDPOINT_URL: recorder.endpoint });
  const runtime = await createRuntime({ configFile: org.config.file, storeSpec: 'dynamodb:avf-bench-vend' });
  const app = buildApp({
    store: runtime.store,
    config: runtime.config,
    clock: runtime.deps.clock,
    adminToken: BENCH_TOKEN,
  });
  try {
    const worker = runtime.newWorker('bench');
    recorder.reset();
    const posted = await app.inject({
      method: 'POST',
      url: '/v1/account-requests',
      headers: { authorization: `Bearer ${BENCH_TOKEN}` },
      payload: SAMPLE_REQUEST,
    });
    const submit = tally(recorder.calls);
    const id = posted.json<{ id: string }>().id;
    const started = recorder.calls.length;
    let status = '';
    for (let i = 0; i < 2000 && status !== 'READY' && status !== 'FAILED'; i++) {
      await worker.tick();
      status = (await runtime.store.get(id))?.status ?? '';
      if (status !== 'READY') await new Promise((r) => setTimeout(r, 50));
    }
    const reconcile = tally(recorder.calls.slice(started));
    return { status, submit, reconcile, total: tally(recorder.calls) };
  } finally {
    await app.close();
    await runtime.close();
    await recorder.stop();
    await org.stop();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One worker loop on the organisation's table, left idle: the DynamoDB calls (and units) of
 * `seconds` after a warm-up as long, per second.
 */
async function idleLoop(
  runtime: Runtime,
  recorder: DynamoRecorder,
  seconds: number,
  mode: 'rests' | 'ticks every 500 ms',
) {
  const worker = runtime.newWorker(`idle-${mode === 'rests' ? 'rest' : 'tick'}`);
  let stopped = false;
  const loop =
    mode === 'rests'
      ? startWorkerLoop(worker)
      : { running: tickUntilStopped(worker, { idleMs: 500, stopped: () => stopped }) };
  await pause(seconds * 1000);
  recorder.reset();
  await pause(seconds * 1000);
  const calls = tally(recorder.calls);
  if ('stop' in loop) await loop.stop();
  else {
    stopped = true;
    await loop.running;
  }
  return {
    mode,
    seconds,
    callsPerSecond: Math.round((calls.calls / seconds) * 100) / 100,
    readUnitsPerSecond: Math.round((calls.readUnits / seconds) * 100) / 100,
    byOperation: calls.byOperation,
  };
}

/** (3): `avf worker`'s loop idle, then the same worker ticking every 500 ms, on one table. */
async function idleWorker(seconds: number) {
  const org = await startLocalOrg({ profile: PROFILES.instant });
  const recorder = await startDynamoRecorder(org.proxy.endpoint);
  Object.assign(process.env, { ...org.env, AWS_ENDPOINT_URL: recorder.endpoint });
  // the production pace: standing jobs due hourly and daily, not compressed as in the demo
  const runtime = await createRuntime({
    configFile: org.config.file,
    storeSpec: 'dynamodb:avf-bench-idle',
    configure: (c) => ({ ...c, worker: { ...c.worker, timeScale: 1 } }),
  });
  try {
    const rests = await idleLoop(runtime, recorder, seconds, 'rests');
    const ticks = await idleLoop(runtime, recorder, seconds, 'ticks every 500 ms');
    return {
      rests,
      ticks,
      restsAgainstTicks: Math.round((rests.callsPerSecond / ticks.callsPerSecond) * 100) / 100,
    };
  } finally {
    await runtime.close();
    await recorder.stop();
    await org.stop();
  }
}

async function main(): Promise<void> {
  const shape = {
    requests: option('requests', 100_000),
    accounts: option('accounts', 10_000),
    teams: option('teams', 50),
  };
  const results: Record<string, unknown> = { at: new Date().toISOString() };
  let ok = true;
  if (PARTS.has('vend')) {
    const vend = await oneVend();
    console.log(`one vend: ${vend.status}; ${JSON.stringify(vend.total)}`);
    results.vend = vend;
    ok &&= vend.status === 'READY';
  }
  if (PARTS.has('scale')) {
    const atScale = await scale(shape);
    console.log(`\nat ${shape.requests} requests / ${shape.accounts} accounts: ${JSON.stringify(atScale)}`);
    results.scale = atScale;
    ok &&= atScale.scans === 0;
  }
  if (PARTS.has('idle')) {
    const idle = await idleWorker(option('idle-seconds', 30));
    console.log(
      `\nidle worker: ${idle.rests.callsPerSecond} DynamoDB calls a second resting (${idle.rests.readUnitsPerSecond} read units), ${idle.ticks.callsPerSecond} ticking every 500 ms (${idle.ticks.readUnitsPerSecond}): ${idle.restsAgainstTicks}×`,
    );
    results.idle = idle;
  }
  writeResults(OUT, results);
  console.log(`→ ${OUT}`);
  process.exitCode = ok ? 0 : 1;
}

void main();
