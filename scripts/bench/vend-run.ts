import { rmSync } from 'node:fs';
import { ApiClient, type RequestView } from '../../src/cli/api-client';
import type { FactoryConfig } from '../../src/config/schema';
import { callsBetween, type CallCounts } from '../../src/local/aws-behaviour/call-log';
import { factoryProcess } from '../../test/support/harness/factory-process';
import { startLocalOrg, type ConfigPatch, type LocalOrg } from '../../test/support/harness/local-org';
import { parseProfile, PROFILES } from '../../src/local/aws-behaviour/profile';
import { BENCH_TOKEN, benchRequestBody, UNLIMITED_RATE } from './bodies';
import {
  accessAlongsideBaseline,
  boundInputs,
  lowerBoundMs,
  projectedNaiveMs,
  type BoundInputs,
} from './lower-bound';
import { percentile, ratio } from './stats';
import { cpuSpan, type CpuSpan } from './process-cpu';

/** `avf`: the factory as configured (baseline batching on); `naive`: one StackSet operation per account. */
export type VendMode = 'avf' | 'naive';

/** The AWS durations of `realistic` at one tenth, and so the factory's poll delays at one tenth. */
export const BENCH_PROFILE = parseProfile(PROFILES.bench);
export const TIME_SCALE = 0.1;

export interface VendResult {
  mode: VendMode;
  accounts: number;
  ready: number;
  /** First POST to the last request READY (or to when the run gave up). */
  makespanMs: number;
  lowerBoundMs: number;
  /** makespan / lower bound (target ≤ 1.1 in avf mode). */
  ratio: number | undefined;
  /** Each READY request's createdAt to its last step's end. */
  p50ReadyMs: number | undefined;
  p95ReadyMs: number | undefined;
  /** Every call the behaviour layer saw from the factory during the run (POSTs' email checks too). */
  awsCalls: CallCounts & { perAccount: number | undefined };
  failed: Array<{ id: string; code: string; message: string; phase?: string }>;
  /** Neither READY nor FAILED when the run gave up: status, phase and the running step's detail. */
  stuck: Array<{ id: string; status: string; phase: string; detail: string }>;
  /** Starting moto, the proxy and the factory, and bootstrapping the organisation. */
  setupMs: number;
  /** Where the time went, phase by phase, over the requests that finished the phase. */
  phases: PhaseTiming[];
  /** CPU of moto_server, the factory and this process over the run (first POST to the end). */
  cpu?: CpuSpan;
}

export interface PhaseTiming {
  phase: string;
  /** Requests that finished the phase. */
  finished: number;
  p50Ms: number | undefined;
  maxMs: number | undefined;
  /** When the last of them finished it, from the first POST. */
  lastFinishedMs: number | undefined;
}

/** Per phase: how long its steps took and when the last one finished, from `started`. */
export function phaseTimings(views: View[], started: number): PhaseTiming[] {
  const names = [...new Set(views.flatMap((v) => v.steps.map((s) => s.name)))];
  return names.map((phase) => {
    const steps = views.flatMap((v) =>
      v.steps.filter((s) => s.name === phase && s.startedAt && s.finishedAt),
    );
    const durations = steps.map((s) => Date.parse(s.finishedAt ?? '') - Date.parse(s.startedAt ?? ''));
    const ends = steps.map((s) => Date.parse(s.finishedAt ?? '') - started);
    return {
      phase,
      finished: steps.length,
      p50Ms: percentile(durations, 50),
      maxMs: durations.length > 0 ? Math.max(...durations) : undefined,
      lastFinishedMs: ends.length > 0 ? Math.max(...ends) : undefined,
    };
  });
}

export type View = RequestView & { createdAt: string; updatedAt: string };

/** The factory config of a run: poll delays at the profile's scale, one tick may claim every request. */
export function vendConfigPatch(mode: VendMode, accounts: number): ConfigPatch {
  return {
    worker: {
      timeScale: TIME_SCALE,
      batchSize: Math.max(250, accounts),
      baselineBatching: { enabled: mode === 'avf' },
    },
    api: { rateLimit: UNLIMITED_RATE },
  };
}

/** The inputs of the lower bound for N copies of the bench's request body in this organisation. */
export function vendBoundInputs(accounts: number, config: FactoryConfig): BoundInputs {
  const assignmentsPerAccount = benchRequestBody('bound', 0).access?.length ?? 0;
  const regions = Math.max(0, ...config.stackSets.map((s) => (s.regions ?? config.governedRegions).length));
  return boundInputs(BENCH_PROFILE, {
    accounts,
    stackSets: config.stackSets.length,
    regions,
    assignmentsPerAccount,
    accessAlongsideBaseline: accessAlongsideBaseline(config),
  });
}

/** The moment a READY request became READY: the end of its last step. */
const readyAt = (v: View): number => Date.parse(v.steps[v.steps.length - 1]?.finishedAt ?? v.updatedAt);
const settled = (v: View) => v.status === 'READY' || v.status === 'FAILED';

async function listAll(client: ApiClient): Promise<View[]> {
  const views: View[] = [];
  let cursor: string | undefined;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page = await client.call<{ items: View[]; nextCursor?: string }>(
      'GET',
      `/v1/account-requests?limit=100${query}`,
    );
    views.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return views;
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export interface VendRunOptions {
  mode: VendMode;
  accounts: number;
  /** Default: twice the naive projection, plus two minutes. */
  timeoutMs?: number;
  onProgress?: (line: string) => void;
}

/**
 * N accounts through the factory (`avf serve` as a child process, SQLite store) against moto
 * behind the behaviour layer with the bench profile: a fresh organisation, all N submitted at
 * once, polled until every request settles or `timeoutMs` passes.
 */
export async function runVend(o: VendRunOptions): Promise<VendResult> {
  const setupStarted = Date.now();
  const org = await startLocalOrg({
    profile: PROFILES.bench,
    // The example config's lease: no worker is killed here.
    leaseSeconds: 60,
    configPatch: vendConfigPatch(o.mode, o.accounts),
  });
  try {
    return await vendInto(org, o, Date.now() - setupStarted);
  } finally {
    await org.stop();
    rmSync(org.dir, { recursive: true, force: true });
  }
}

/** Starts the factory on the organisation, submits the N requests and follows them. */
async function vendInto(org: LocalOrg, o: VendRunOptions, orgSetupMs: number): Promise<VendResult> {
  const factoryStarted = Date.now();
  const factory = await factoryProcess({
    command: 'serve',
    env: { ...org.env, AVF_STORE: `sqlite:${org.dir}/avf.db`, AVF_ADMIN_TOKEN: BENCH_TOKEN },
  });
  try {
    await factory.start();
    const client = new ApiClient(factory.url, BENCH_TOKEN);
    const setupMs = orgSetupMs + Date.now() - factoryStarted;
    const before = org.proxy.callCounts();
    const bound = vendBoundInputs(o.accounts, org.config.config);
    const timeoutMs = o.timeoutMs ?? 2 * projectedNaiveMs(bound) + 120_000;
    const started = Date.now();
    const span = cpuSpan({ emulator: org.moto.pid, factory: factory.pid() });
    const series = `bench-${o.mode}-${o.accounts}`;
    const indexes = Array.from({ length: o.accounts }, (_, i) => i);
    await pool(indexes, 16, async (i) => {
      await client.createRequest(benchRequestBody(series, i));
    });
    let views = await listAll(client);
    let lastProgress = Date.now();
    while (!views.every(settled) && Date.now() - started < timeoutMs) {
      await new Promise((r) => setTimeout(r, 1_000));
      views = await listAll(client);
      if (Date.now() - lastProgress >= 15_000) {
        lastProgress = Date.now();
        o.onProgress?.(progressLine(o.mode, o.accounts, views, Date.now() - started));
      }
    }
    const cpu = span.stop();
    const calls = callsBetween(before, org.proxy.callCounts());
    return { ...summarise(o, views, { started, setupMs, calls, lowerBoundMs: lowerBoundMs(bound) }), cpu };
  } finally {
    await factory.stop();
  }
}

/** e.g. `avf N=50 after 40 s: READY 12, IN_PROGRESS 38 (baseline 30, create-account 8)`. */
export function progressLine(mode: VendMode, accounts: number, views: View[], elapsedMs: number): string {
  const count = (key: (v: View) => string, of: View[]) => {
    const counts = new Map<string, number>();
    for (const v of of) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
  };
  const open = views.filter((v) => !settled(v));
  const phases = open.length > 0 ? ` (${count((v) => v.phase, open)})` : '';
  return `${mode} N=${accounts} after ${Math.round(elapsedMs / 1000)} s: ${count((v) => v.status, views)}${phases}`;
}

function summarise(
  o: { mode: VendMode; accounts: number },
  views: View[],
  run: { started: number; setupMs: number; calls: CallCounts; lowerBoundMs: number },
): VendResult {
  const ready = views.filter((v) => v.status === 'READY');
  const allSettled = views.length === o.accounts && views.every(settled);
  const makespanMs = allSettled
    ? Math.max(...views.map((v) => (v.status === 'READY' ? readyAt(v) : Date.parse(v.updatedAt)))) -
      run.started
    : Date.now() - run.started;
  const toReady = ready.map((v) => readyAt(v) - Date.parse(v.createdAt));
  return {
    mode: o.mode,
    accounts: o.accounts,
    ready: ready.length,
    makespanMs,
    lowerBoundMs: run.lowerBoundMs,
    ratio: ratio(makespanMs, run.lowerBoundMs),
    p50ReadyMs: percentile(toReady, 50),
    p95ReadyMs: percentile(toReady, 95),
    awsCalls: { ...run.calls, perAccount: ratio(run.calls.total, o.accounts, 1) },
    failed: views.flatMap((v) =>
      v.status === 'FAILED'
        ? [{ id: v.id, code: v.error?.code ?? '', message: v.error?.message ?? '', phase: v.phase }]
        : [],
    ),
    stuck: views.flatMap((v) =>
      settled(v)
        ? []
        : [
            {
              id: v.id,
              status: v.status,
              phase: v.phase,
              detail: v.steps.find((s) => s.status === 'RUNNING')?.detail ?? '',
            },
          ],
    ),
    setupMs: run.setupMs,
    phases: phaseTimings(views, run.started),
  };
}
