import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { simulateRepeated, warmUpCpuMs, type SimResult } from './run';

function whole(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${text} is not a whole number ≥ ${min}`);
    return n;
  };
}

function table(r: SimResult & { warmUpCpuMs?: number[]; factoryCpuMsRuns?: number[] }): string {
  const top = Object.entries(r.callsByOperation)
    .slice(0, 8)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  return [
    `accounts            ${r.accounts} (READY ${r.ready}, FAILED ${r.failed}${r.failed ? ': ' + JSON.stringify(r.failures) : ''})`,
    `create concurrency  ${r.createConcurrency} (peak in progress ${r.peakCreatesInProgress})`,
    `existing accounts   ${r.existingAccounts}`,
    `account index       ${r.indexBuild ? `built before the burst: ${r.indexBuild.accounts} e-mails, ${r.indexBuild.awsCalls} AWS calls, ${r.indexBuild.seconds} s (not counted below)` : 'not built (fresh install)'}`,
    `makespan            ${r.makespanSeconds.toFixed(1)} s (virtual)`,
    `lower bound         ${r.lowerBoundSeconds.toFixed(1)} s`,
    `ratio               ${r.ratio ?? '–'}`,
    `to READY            p50 ${r.p50ToReadySeconds?.toFixed(1)} s, p95 ${r.p95ToReadySeconds?.toFixed(1)} s`,
    `AWS calls/account   ${r.awsCallsPerAccount} (most: ${top})`,
    `vend calls/account  ${r.vendCallsPerAccount} (the requests' own steps; the rest: drift sweep, spend collector, account index)`,
    `intake              ${r.intake.accepted} accepted${Object.keys(r.intake.refused).length ? ', refused ' + JSON.stringify(r.intake.refused) : ''}, ${r.intake.awsCallsPerRequest} AWS calls/request, POST p50 ${r.intake.p50Seconds} s, max ${r.intake.maxSeconds} s, all ${r.intake.totalSeconds} s, ${r.intake.throttles} throttles`,
    `status polls/acct   ${Object.entries(r.statusPollsPerAccount)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `throttles           ${r.throttles}${r.throttles ? ' ' + JSON.stringify(r.throttlesByOperation) : ''}`,
    `factory CPU         ${r.factoryCpuMsPerAccount} ms/account${r.factoryCpuMsRuns ? ` (median of ${r.factoryCpuMsRuns.length} runs: ${r.factoryCpuMsRuns.join(', ')})` : ''} (model ${r.modelCpuMsPerAccount} ms/account)${r.warmUpCpuMs?.length ? `; the process's first vends, before the run: ${r.warmUpCpuMs.join(', ')} ms` : ', from a cold process'}`,
    `wall time           ${r.wallSeconds} s`,
    `phases (s): ${r.phases.map((p) => `${p.phase} p50 ${p.p50Seconds} max ${p.maxSeconds} last ${p.lastFinishedSeconds}`).join(' | ')}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const program = new Command('sim')
    .description(
      'Vends N accounts through the factory against a deterministic model of AWS on a virtual clock; prints makespan against the lower bound',
    )
    .requiredOption('--accounts <n>', 'accounts to vend', whole(1))
    .option('--seed <s>', 'seed of every random choice', whole(0), 1)
    .option(
      '--create-concurrency <c>',
      'CreateAccount requests in progress at once (AWS: 5; 10 on request)',
      whole(1),
      5,
    )
    .option(
      '--existing-accounts <k>',
      'accounts the organisation already holds (made outside the factory)',
      whole(0),
      0,
    )
    .option('--cold-index', 'a fresh install: the organisation account index is not built before the burst')
    .option(
      '--warm-up <vends>',
      'accounts vended alone first, one after the other, each in a world of its own, their CPU reported apart (0: measure from a cold process; V8 has compiled and optimised what a vend runs after about ten)',
      whole(0),
      10,
    )
    .option(
      '--repeat <r>',
      'run the measured burst R times, each in a fresh world, and report the median factory CPU (a small run is a few tens of ms of CPU, within the noise of a shared machine)',
      whole(1),
      1,
    )
    .option('--workers <w>', 'worker processes sharing the store', whole(1), 1)
    .option('--max-hours <h>', 'virtual hours before giving up', whole(1), 24 * 14)
    .option('--json', 'print one JSON object instead of the table')
    .option('--out <file>', 'results file (JSON)', 'bench-results/sim-results.json')
    .parse();
  const o = program.opts<{
    accounts: number;
    seed: number;
    createConcurrency: number;
    existingAccounts: number;
    coldIndex?: boolean;
    warmUp: number;
    repeat: number;
    workers: number;
    maxHours: number;
    json?: boolean;
    out: string;
  }>();
  // Loading and transpiling the modules, and the JIT compiling and optimising what runs often, are
  // paid once per process (and on each Lambda cold start), not per account: lone vends, each in a
  // world of its own, pay them first.
  const warmUp = await warmUpCpuMs(o.seed, o.createConcurrency, o.warmUp);
  const measured = await simulateRepeated(
    {
      accounts: o.accounts,
      seed: o.seed,
      createConcurrency: o.createConcurrency,
      existingAccounts: o.existingAccounts,
      coldIndex: o.coldIndex ?? false,
      workers: o.workers,
      maxVirtualHours: o.maxHours,
      progress: (line) => console.error(line),
    },
    o.repeat,
  );
  const result = { ...measured, warmUpCpuMs: warmUp };
  const out = resolve(o.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2) + '\n');
  console.log(o.json ? JSON.stringify(result) : table(result));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
