import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { CommanderError } from 'commander';
import { loadConfig } from '../../src/config/load';
import { runHttpBench } from './http-throughput';
import { projectedNaiveMs } from './lower-bound';
import { generatedSection, withGeneratedSection } from './markdown';
import { runMemoryBench } from './memory';
import { parseOptions, type BenchOptions } from './options';
import { writeResults } from '../results-file';
import {
  httpTable,
  httpVerdict,
  largestRuns,
  memoryTable,
  memoryVerdictLine,
  notReadyLines,
  phaseTable,
  renderText,
  speedupTable,
  vendTable,
  type BenchResults,
} from './report';
import { runVend, vendBoundInputs, type VendMode } from './vend-run';

/**
 * `npm run bench`: vend runs (avf and naive) against the time-compressed behaviour profile, HTTP
 * throughput against a bare fastify route, memory as stored requests grow. Prints each section,
 * writes bench-results/bench.json and the generated part of BENCHMARKS.md (after every vend run too, so
 * a long run interrupted keeps what it measured).
 */
const EXAMPLE = loadConfig(resolve(__dirname, '../../factory.config.yaml')).config;

function newResults(argv: string[], options: BenchOptions): BenchResults {
  return {
    at: new Date().toISOString(),
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(' ')}` : ''}`,
    quick: options.quick,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      platform: `${platform()} ${arch()}`,
    },
    bound: vendBoundInputs(1, EXAMPLE),
    vend: [],
    errors: [],
    naiveProjections: options.sizes
      .filter((n) => !options.naiveSizes.includes(n))
      .map((accounts) => ({
        accounts,
        projectedMs: projectedNaiveMs(vendBoundInputs(accounts, EXAMPLE)),
      })),
  };
}

/** Writes both files: the JSON figures and the generated section of the Markdown report. */
function save(results: BenchResults, options: BenchOptions): void {
  writeResults(options.out, results);
  const existing = existsSync(options.markdown) ? readFileSync(options.markdown, 'utf8') : undefined;
  writeFileSync(options.markdown, withGeneratedSection(existing, generatedSection(results, existing)));
}

/** Records a run that broke off, so the others still run and the report says so. */
function broke(results: BenchResults, what: string, e: unknown): undefined {
  const message = `${what}: ${e instanceof Error ? e.message : String(e)}`;
  console.error(`  ${message}`);
  results.errors.push(message);
  return undefined;
}

const section = (title: string, ...body: string[]) => console.log(`\n== ${title}\n${body.join('\n')}`);

async function vendSection(results: BenchResults, options: BenchOptions): Promise<void> {
  const sizes = [...new Set([...options.sizes, ...options.naiveSizes])].sort((a, b) => a - b);
  const runs: Array<{ mode: VendMode; accounts: number }> = sizes.flatMap((accounts) => [
    ...(options.sizes.includes(accounts) ? [{ mode: 'avf' as const, accounts }] : []),
    ...(options.naiveSizes.includes(accounts) ? [{ mode: 'naive' as const, accounts }] : []),
  ]);
  for (const run of runs) {
    console.log(`vend: ${run.mode} N=${run.accounts} …`);
    const r = await runVend({
      ...run,
      ...(options.timeoutMinutes === undefined ? {} : { timeoutMs: options.timeoutMinutes * 60_000 }),
      onProgress: (line) => console.log(`  ${line}`),
    }).catch((e: unknown) => broke(results, `vend ${run.mode} N=${run.accounts}`, e));
    if (!r) continue;
    console.log(
      `  ${r.ready}/${r.accounts} READY, makespan ${(r.makespanMs / 1000).toFixed(1)} s, ` +
        `lower bound ${(r.lowerBoundMs / 1000).toFixed(1)} s, ratio ${r.ratio ?? '–'}, ` +
        `${r.awsCalls.perAccount ?? '–'} AWS calls/account (setup ${(r.setupMs / 1000).toFixed(1)} s)`,
    );
    results.vend.push(r);
    save(results, options);
  }
  const speedup = speedupTable(results);
  const notReady = notReadyLines(results);
  const largest = largestRuns(results);
  section(
    'vending (seconds; bench profile = AWS durations / 10)',
    renderText(vendTable(results)),
    ...(speedup.rows.length > 0 ? ['', renderText(speedup)] : []),
    ...(notReady.length > 0 ? ['', 'not READY:', ...notReady] : []),
    ...largest.flatMap((v) => ['', `${v.mode} N=${v.accounts}, phase by phase:`, renderText(phaseTable(v))]),
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const options = parseOptions(argv);
  const results = newResults(argv, options);
  if (options.sections.vend) await vendSection(results, options);
  if (options.sections.http) {
    console.log('\nhttp: autocannon …');
    results.http = await runHttpBench({ seconds: options.httpSeconds }).catch((e: unknown) =>
      broke(results, 'http', e),
    );
    save(results, options);
    if (results.http)
      section('HTTP throughput', renderText(httpTable(results.http)), httpVerdict(results.http));
  }
  if (options.sections.memory) {
    console.log(`\nmemory: ${options.memorySteps.join(', ')} stored requests …`);
    results.memory = await runMemoryBench(options.memorySteps).catch((e: unknown) =>
      broke(results, 'memory', e),
    );
    save(results, options);
    if (results.memory)
      section('memory', renderText(memoryTable(results.memory)), memoryVerdictLine(results.memory));
  }
  save(results, options);
  console.log(`\n→ ${options.out}, ${options.markdown}`);
  process.exitCode = results.errors.length > 0 ? 1 : 0;
}

main().catch((e: unknown) => {
  if (e instanceof CommanderError) {
    if (e.code !== 'commander.helpDisplayed') console.error(e.message);
    process.exitCode = e.exitCode;
    return;
  }
  console.error(e);
  process.exitCode = 1;
});
