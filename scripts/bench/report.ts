import type { HttpFigures, HttpResult } from './http-throughput';
import type { BoundInputs } from './lower-bound';
import type { MemoryResult } from './memory';
import { FLAT_GROWTH } from './memory';
import type { VendMode, VendResult } from './vend-run';

/** Everything one `npm run bench` measured, as written to bench-results/bench.json. */
export interface BenchResults {
  at: string;
  command: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; platform: string };
  /** The profile's durations and quotas the lower bound is computed from (accounts = 1). */
  bound: BoundInputs;
  vend: VendResult[];
  /** Sizes run only in avf mode: the naive design's projected makespan, not measured. */
  naiveProjections: Array<{ accounts: number; projectedMs: number }>;
  http?: HttpResult;
  memory?: MemoryResult;
  /** Runs or sections that broke off with an error, and the error. */
  errors: string[];
}

export interface Table {
  headers: string[];
  rows: string[][];
}

export const MAKESPAN_TARGET = 1.1;
export const GET_RATIO_TARGET = 0.5;

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : (ms / 1000).toFixed(1));
const megabytes = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const orDash = (n: number | undefined) => (n === undefined ? '–' : String(n));
/** autocannon's latencies are whole milliseconds: 0 means under one. */
const latency = (ms: number) => (ms === 0 ? '< 1' : String(ms));
const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');

/** moto_server's CPU over the run, as a share of the wall time and against the factory's CPU (measured; '–' when not). */
export function emulatorShare(cpu: VendResult['cpu']): string {
  if (!cpu || cpu.emulatorMs === undefined || cpu.wallMs <= 0) return '–';
  const share = `${Math.round((cpu.emulatorMs / cpu.wallMs) * 100)} %`;
  if (cpu.factoryMs === undefined || cpu.factoryMs <= 0) return share;
  return `${share}, ${(cpu.emulatorMs / cpu.factoryMs).toFixed(1)}×`;
}

/** Columns padded to their widest cell, a rule under the headers. */
export function renderText(table: Table): string {
  const widths = table.headers.map((h, i) =>
    Math.max(h.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(table.headers), line(widths.map((w) => '-'.repeat(w))), ...table.rows.map(line)].join('\n');
}

export function renderMarkdown(table: Table): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(table.headers), `|${table.headers.map(() => '---').join('|')}|`, ...table.rows.map(line)].join(
    '\n',
  );
}

export function vendTable(results: BenchResults): Table {
  const rows = results.vend.map((r) => [
    String(r.accounts),
    r.mode,
    `${r.ready}/${r.accounts}`,
    seconds(r.makespanMs),
    seconds(r.lowerBoundMs),
    orDash(r.ratio),
    r.mode === 'avf' ? verdict(r.ratio !== undefined && r.ratio <= MAKESPAN_TARGET) : '',
    seconds(r.p50ReadyMs),
    seconds(r.p95ReadyMs),
    orDash(r.awsCalls.perAccount),
    emulatorShare(r.cpu),
  ]);
  const projected = results.naiveProjections.map((p) => {
    const bound = results.vend.find((r) => r.accounts === p.accounts)?.lowerBoundMs;
    return [
      String(p.accounts),
      'naive (projected, not run)',
      '',
      `≈ ${seconds(p.projectedMs)}`,
      seconds(bound),
      orDash(bound === undefined ? undefined : Math.round((p.projectedMs / bound) * 100) / 100),
      '',
      '',
      '',
      '',
      '',
    ];
  });
  return {
    headers: [
      'N',
      'mode',
      'READY',
      'makespan s',
      'lower bound s',
      'ratio',
      `≤ ${MAKESPAN_TARGET}×`,
      'p50 to READY s',
      'p95 to READY s',
      'AWS calls/account',
      'moto CPU: % of wall, × factory CPU',
    ],
    rows: [...rows, ...projected].sort((a, b) => Number(a[0]) - Number(b[0])),
  };
}

/** For each N run in both modes: how much longer the naive design took. */
export function speedupTable(results: BenchResults): Table {
  const rows = results.vend
    .filter((r) => r.mode === 'avf')
    .flatMap((avf) => {
      const naive = results.vend.find((r) => r.mode === 'naive' && r.accounts === avf.accounts);
      if (!naive) return [];
      const times = Math.round((naive.makespanMs / avf.makespanMs) * 10) / 10;
      return [[String(avf.accounts), seconds(avf.makespanMs), seconds(naive.makespanMs), `${times}×`]];
    });
  return { headers: ['N', 'avf makespan s', 'naive makespan s', 'naive / avf'], rows };
}

export function httpTable(http: HttpResult): Table {
  const row = (target: string, route: string, f: HttpFigures) => [
    target,
    route,
    String(f.requestsPerSecond),
    latency(f.p50Ms),
    latency(f.p99Ms),
    String(f.non2xx + f.errors),
    orDash(f.serverCpuUsPerRequest),
  ];
  return {
    headers: ['target', 'route', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx or errors', 'server CPU µs/request'],
    rows: [
      row('avf API', 'GET /v1/account-requests/{id}', http.getApi),
      row('bare fastify', 'GET /v1/account-requests/{id}', http.getBare),
      row('avf API', 'POST /v1/account-requests', http.postApi),
      row('bare fastify', 'POST /v1/account-requests', http.postBare),
    ],
  };
}

export function memoryTable(memory: MemoryResult): Table {
  return {
    headers: ['stored requests', 'RSS MiB', 'heap used MiB'],
    rows: memory.samples.map((s) => [String(s.stored), megabytes(s.rssBytes), megabytes(s.heapUsedBytes)]),
  };
}

export function httpVerdict(http: HttpResult): string {
  const ok = http.getRatio !== undefined && http.getRatio >= GET_RATIO_TARGET;
  const cpu =
    http.getCpuRatio === undefined
      ? ''
      : ` By server CPU per GET, the bare route costs ${http.getCpuRatio} of the API's (the same ratio, free of what else the machine ran).`;
  return `GET throughput is ${orDash(http.getRatio)} of the bare route's (target ≥ ${GET_RATIO_TARGET}: ${verdict(ok)}); POST ${orDash(http.postRatio)}.${cpu}`;
}

export function memoryVerdictLine(memory: MemoryResult): string {
  const change =
    memory.growth === undefined
      ? 'could not be compared'
      : `${memory.growth < 0 ? 'shrank' : 'grew'} ${Math.abs(memory.growth * 100).toFixed(1)} %`;
  return `RSS ${change} from the first step to the last (flat: within ${FLAT_GROWTH * 100} %: ${verdict(memory.flat)}).`;
}

/** Requests that did not end READY, one line each. */
export function notReadyLines(results: BenchResults): string[] {
  return results.vend.flatMap((r) => [
    ...r.failed.map(
      (f) => `${r.mode} N=${r.accounts}: ${f.id} FAILED in ${f.phase ?? '?'}: ${f.code} ${f.message}`,
    ),
    ...r.stuck.map((s) => `${r.mode} N=${r.accounts}: ${s.id} still ${s.status} in ${s.phase}: ${s.detail}`),
  ]);
}

/** e.g. `avf N=50: cloudformation:DescribeStackSetOperation 12.4, …` (calls per account, most first). */
export function topCallsLine(r: VendResult, top = 8): string {
  const perAccount = Object.entries(r.awsCalls.byAction)
    .sort(([, a], [, b]) => b - a)
    .slice(0, top)
    .map(([action, n]) => `${action} ${Math.round((n / r.accounts) * 10) / 10}`);
  return `${r.mode} N=${r.accounts}: ${perAccount.join(', ')}`;
}

/** Phase by phase: how long its steps took, and when the last request finished it. */
export function phaseTable(r: VendResult): Table {
  return {
    headers: ['phase', 'finished', 'p50 s', 'max s', 'last finished at s'],
    rows: r.phases.map((p) => [
      p.phase,
      String(p.finished),
      seconds(p.p50Ms),
      seconds(p.maxMs),
      seconds(p.lastFinishedMs),
    ]),
  };
}

/** The run with the most accounts of each mode (avf first): the ones the report looks into. */
export function largestRuns(results: BenchResults): VendResult[] {
  const largest = (mode: VendMode) =>
    results.vend.filter((v) => v.mode === mode).sort((a, b) => b.accounts - a.accounts)[0];
  return [largest('avf'), largest('naive')].flatMap((v) => (v ? [v] : []));
}
