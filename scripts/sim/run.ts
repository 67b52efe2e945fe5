import type { LoadedConfig } from '../../src/config/load';
import { benchRequestBody } from '../bench/bodies';
import { accessAlongsideBaseline, boundInputs, lowerBoundMs } from '../bench/lower-bound';
import { percentile, ratio } from '../bench/stats';
import { buildAccountIndex, type IndexBuild } from './index-build';
import { submitAll, type IntakeFigures } from './intake';
import type { meteredAws } from './model/metered-aws';
import type { ModelParams } from './model/params';
import { seededHex, simWorld } from './world';
import { runWorkers, type Settled } from './workers';

export interface SimOptions {
  accounts: number;
  seed: number;
  createConcurrency: number;
  /** Accounts the organisation holds before the run (not the factory's): what its listings walk. */
  existingAccounts?: number;
  /**
   * Start as a fresh install: the organisation account index not built yet, so the intake walks
   * ListAccounts while the worker builds it (default: built before the burst, as a running factory has it).
   */
  coldIndex?: boolean;
  /** Worker processes sharing the store (each ticks on its own). */
  workers: number;
  /** Give up (and report what is unsettled) after this much virtual time. */
  maxVirtualHours: number;
  /** Told how far the run got, once every virtual hour. */
  progress?: (line: string) => void;
}

export interface SimResult {
  accounts: number;
  ready: number;
  failed: number;
  seed: number;
  createConcurrency: number;
  existingAccounts: number;
  /** Building the organisation account index before the burst (absent with `coldIndex`); not in the figures below. */
  indexBuild?: IndexBuild;
  makespanSeconds: number;
  lowerBoundSeconds: number;
  ratio: number | undefined;
  p50ToReadySeconds: number | undefined;
  p95ToReadySeconds: number | undefined;
  awsCallsPerAccount: number;
  /**
   * The vend's own calls per READY account (the requests' steps), without the other jobs that run
   * beside it in `avf worker` (the drift sweep, the spend collector, the account index).
   */
  vendCallsPerAccount: number;
  /** The submissions (POST /v1/account-requests, all at the start): their calls and latency. */
  intake: IntakeFigures;
  /** Calls per account by `service:method`, most frequent first. */
  callsByOperation: Record<string, number>;
  /** Status polls per account, by the kind of operation polled. */
  statusPollsPerAccount: Record<string, number>;
  throttles: number;
  throttlesByOperation: Record<string, number>;
  factoryCpuMsPerAccount: number;
  modelCpuMsPerAccount: number;
  wallSeconds: number;
  peakCreatesInProgress: number;
  failures: Record<string, number>;
  /** Per phase: median and longest duration, and when the last one finished (s after the start). */
  phases: Array<{ phase: string; p50Seconds: number; maxSeconds: number; lastFinishedSeconds: number }>;
}

const POLLS = {
  createAccount: 'organizations:getCreateAccountStatus',
  stackSetOperation: 'stackSets:getOperation',
  accountAssignment: 'identityCenter:getAccountAssignmentStatus',
};

function phaseTable(settled: Settled[], startedAt: number): SimResult['phases'] {
  const names = settled[0]?.steps.map((s) => s.name) ?? [];
  return names.map((phase) => {
    const steps = settled.flatMap((s) =>
      s.steps.filter((st) => st.name === phase && st.startedAt && st.finishedAt),
    );
    const durations = steps.map((st) => (st.finishedAt ?? 0) - (st.startedAt ?? 0));
    const s = (ms: number | undefined) => Math.round((ms ?? 0) / 100) / 10;
    return {
      phase,
      p50Seconds: s(percentile(durations, 50)),
      maxSeconds: s(Math.max(0, ...durations)),
      lastFinishedSeconds: s(Math.max(0, ...steps.map((st) => (st.finishedAt ?? 0) - startedAt))),
    };
  });
}

const perAccount = (n: number, accounts: number) => Math.round((n / accounts) * 100) / 100;

function sortedPerAccount(m: Map<string, number>, accounts: number): Record<string, number> {
  return Object.fromEntries(
    [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, perAccount(v, accounts)]),
  );
}

function summarise(
  options: SimOptions,
  params: ModelParams,
  config: LoadedConfig,
  settled: Settled[],
  startedAt: number,
  cpu: { factoryMicros: number; modelMicros: number; wallMs: number },
  log: ReturnType<typeof meteredAws>['log'],
  peak: number,
  intake: IntakeFigures,
): SimResult {
  const n = options.accounts;
  const ready = settled.filter((s) => s.status === 'READY');
  const times = ready.map((s) => s.at - s.createdAt);
  const makespanMs = Math.max(0, ...settled.map((s) => s.at - startedAt));
  const body = benchRequestBody('sim', 0);
  const c = config.config;
  const bound = lowerBoundMs(
    boundInputs(
      {
        createAccount: {
          durationMs: params.createAccount.durationMs,
          maxInProgress: params.createAccount.maxInProgress,
        },
        stackSets: {
          operationMs: params.stackSets.operationMs,
          failedOperationRate: 0,
          failedInstanceRate: 0,
        },
        assignments: {
          durationMs: params.assignments.durationMs,
          maxOutstanding: params.assignments.maxOutstanding,
        },
        faults: { throttleRate: 0, unavailableRate: 0, afterExecutionShare: 0 },
        seed: params.seed,
      },
      {
        accounts: n,
        stackSets: c.stackSets.length,
        regions: Math.max(0, ...c.stackSets.map((s) => (s.regions ?? c.governedRegions).length)),
        assignmentsPerAccount: body.access?.length ?? 0,
        accessAlongsideBaseline: accessAlongsideBaseline(c),
      },
    ),
  );
  const totalCalls = [...log.calls.values()].reduce((a, b) => a + b, 0);
  const totalThrottles = [...log.throttles.values()].reduce((a, b) => a + b, 0);
  const failures: Record<string, number> = {};
  for (const s of settled.filter((x) => x.status === 'FAILED')) {
    if (process.env.SIM_DEBUG) console.error(s.message);
    failures[s.reason ?? 'unknown'] = (failures[s.reason ?? 'unknown'] ?? 0) + 1;
  }
  return {
    accounts: n,
    ready: ready.length,
    failed: settled.length - ready.length,
    seed: options.seed,
    createConcurrency: options.createConcurrency,
    existingAccounts: options.existingAccounts ?? 0,
    makespanSeconds: makespanMs / 1000,
    lowerBoundSeconds: bound / 1000,
    ratio: ratio(makespanMs, bound, 3),
    p50ToReadySeconds: (percentile(times, 50) ?? NaN) / 1000,
    p95ToReadySeconds: (percentile(times, 95) ?? NaN) / 1000,
    awsCallsPerAccount: perAccount(totalCalls, n),
    vendCallsPerAccount: perAccount(
      ready.reduce((sum, r) => sum + r.awsCalls, 0),
      Math.max(1, ready.length),
    ),
    intake,
    callsByOperation: sortedPerAccount(log.calls, n),
    statusPollsPerAccount: Object.fromEntries(
      Object.entries(POLLS).map(([kind, op]) => [kind, perAccount(log.calls.get(op) ?? 0, n)]),
    ),
    throttles: totalThrottles,
    throttlesByOperation: Object.fromEntries(log.throttles),
    factoryCpuMsPerAccount: Math.round((cpu.factoryMicros / 1000 / n) * 100) / 100,
    modelCpuMsPerAccount: Math.round((cpu.modelMicros / 1000 / n) * 100) / 100,
    wallSeconds: Math.round(cpu.wallMs / 100) / 10,
    peakCreatesInProgress: peak,
    failures,
    phases: phaseTable(settled, startedAt),
  };
}

/** Request ids from the seed, so the same seed orders the same ids the same way. */
function requestIds(seed: number): () => string {
  const hex = seededHex(seed + 13, 16);
  return () => `req-${hex()}`;
}

/**
 * Vends `accounts` accounts of the example organisation through the factory's real intake,
 * reconciler, steps, coordinators and SQLite store, against the AWS model on a virtual clock.
 */
export async function simulate(options: SimOptions): Promise<SimResult> {
  const world = await simWorld(options);
  const { params, config, time, timed, log, store, deps } = world;
  const aws = deps.aws;
  try {
    const indexBuild = options.coldIndex ? undefined : await buildAccountIndex(deps, time, log);
    const wallStart = Date.now();
    const cpuStart = process.cpuUsage();
    const modelBefore = log.modelCpuMicros;
    const startedAt = time.ms();
    const intake = {
      store,
      config,
      clock: time,
      accountDirectory: aws.organizations,
      newRequestId: requestIds(options.seed),
    };
    const intakeFigures = await submitAll(options.accounts, time, intake, log);
    const settled = await runWorkers(deps, time, {
      accounts: intakeFigures.accepted,
      workers: options.workers,
      deadline: startedAt + options.maxVirtualHours * 3_600_000,
      onHour: (settledSoFar) =>
        options.progress?.(
          `sim: ${((time.ms() - startedAt) / 3_600_000).toFixed(0)} h virtual, ${settledSoFar} of ${options.accounts} settled, ${((Date.now() - wallStart) / 1000).toFixed(0)} s wall`,
        ),
    });
    const used = process.cpuUsage(cpuStart);
    const modelMicros = log.modelCpuMicros - modelBefore;
    const result = summarise(
      options,
      params,
      config,
      settled,
      startedAt,
      { factoryMicros: used.user + used.system - modelMicros, modelMicros, wallMs: Date.now() - wallStart },
      log,
      timed.peakCreatesInProgress,
      intakeFigures,
    );
    return indexBuild ? { ...result, indexBuild } : result;
  } finally {
    await world.close();
  }
}

/**
 * The factory CPU (ms) of each of `vends` accounts vended alone, one after the other, each in a
 * fresh world of this process: what a fresh process pays before it runs at its steady pace
 * (loading and transpiling modules, the JIT compiling and then optimising the code it runs
 * often), measured before a run so that the run's CPU per account is the steady state's.
 */
export async function warmUpCpuMs(seed: number, createConcurrency: number, vends: number): Promise<number[]> {
  const spent: number[] = [];
  for (let i = 0; i < vends; i++) {
    const vend = await simulate({
      accounts: 1,
      seed: seed + 1 + i,
      createConcurrency,
      workers: 1,
      maxVirtualHours: 4,
    });
    spent.push(vend.factoryCpuMsPerAccount);
  }
  return spent;
}

/** The same run `times` times, each in a fresh world: the first's figures, with the median factory CPU of all. */
export async function simulateRepeated(
  options: SimOptions,
  times: number,
): Promise<SimResult & { factoryCpuMsRuns?: number[] }> {
  const runs: SimResult[] = [];
  for (let i = 0; i < times; i++) runs.push(await simulate(options));
  const first = runs[0]!;
  if (times === 1) return first;
  for (const r of runs)
    if (r.makespanSeconds !== first.makespanSeconds || r.awsCallsPerAccount !== first.awsCallsPerAccount)
      throw new Error('the simulator is not deterministic: two runs of one seed differ');
  const cpu = runs.map((r) => r.factoryCpuMsPerAccount);
  return { ...first, factoryCpuMsPerAccount: percentile(cpu, 50)!, factoryCpuMsRuns: cpu };
}
