import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SimResult } from './run';

const START =
  '<!-- sim:start (written by `npm run sim:table`; edits from here to sim:end are overwritten) -->';
const END = '<!-- sim:end -->';

const n = (x: number) => x.toLocaleString('en-GB');
const s = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : x.toFixed(1));

function row(r: SimResult & { at?: string; warmUpCpuMs?: number[]; factoryCpuMsRuns?: number[] }): string {
  const polls = r.statusPollsPerAccount;
  return [
    n(r.accounts),
    r.createConcurrency,
    `${r.ready}/${r.accounts}`,
    s(r.makespanSeconds),
    s(r.lowerBoundSeconds),
    r.ratio ?? '–',
    s(r.p50ToReadySeconds),
    s(r.p95ToReadySeconds),
    r.awsCallsPerAccount,
    r.vendCallsPerAccount ?? '–',
    `${polls['createAccount']}, ${polls['stackSetOperation']}, ${polls['accountAssignment']}`,
    r.throttles,
    r.factoryCpuMsRuns
      ? `${r.factoryCpuMsPerAccount} (median of ${r.factoryCpuMsRuns.join(', ')})`
      : r.factoryCpuMsPerAccount,
    r.warmUpCpuMs?.length ? r.warmUpCpuMs.join(', ') : 'none (cold)',
    r.modelCpuMsPerAccount,
    r.wallSeconds,
  ].join(' | ');
}

/**
 * Writes the simulator's table into BENCHMARKS.md (between the sim markers) from the results
 * files `npm run sim -- … --out FILE` wrote: one row per file, by concurrency then N.
 */
function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: npm run sim:table -- RESULTS.json…');
  const results = files
    .map((f) => JSON.parse(readFileSync(f, 'utf8')) as SimResult & { at?: string })
    .sort((a, b) => a.createConcurrency - b.createConcurrency || a.accounts - b.accounts);
  const commands = results.map(
    (r) =>
      `npm run sim -- --accounts ${r.accounts} --seed ${r.seed} --create-concurrency ${r.createConcurrency}`,
  );
  const dates = [...new Set(results.map((r) => r.at?.slice(0, 10) ?? 'unknown'))].join(', ');
  const table = [
    START,
    `Last written from ${results.length} runs (${dates}); each row is one command of the form`,
    `\`${commands[0] ?? ''}\` (seeds: ${[...new Set(results.map((r) => r.seed))].join(', ')}); a CPU figure`,
    'given as the median of several ran the same command with `--repeat` that many times.',
    '',
    '| N | C | READY | makespan s | lower bound s | ratio | p50 s | p95 s | AWS calls/account | of them the vend (its own steps) | polls/account (CreateAccount, StackSet op, assignment) | throttles | factory CPU ms/account | first lone vends of the process, before the run (CPU ms each) | model CPU ms/account | wall s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map((r) => `| ${row(r)} |`),
    END,
  ].join('\n');
  const path = resolve(__dirname, '../../BENCHMARKS.md');
  const text = readFileSync(path, 'utf8');
  const from = text.indexOf(START.slice(0, 16));
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`BENCHMARKS.md has no ${START.slice(0, 16)} … ${END} section`);
  writeFileSync(path, text.slice(0, from) + table + text.slice(to + END.length));
  console.log(table);
}

main();
