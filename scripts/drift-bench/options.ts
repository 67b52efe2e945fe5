import { Command, InvalidArgumentError } from 'commander';
import { resultsFile } from '../results-file';

/** What `npm run drift-bench` runs; see BENCHMARKS.md. */
export interface DriftBenchOptions {
  /** READY accounts stored as the inventory. */
  inventory: number;
  /** Stop after this many verified accounts and extrapolate; unset: the whole inventory, timed. */
  sample?: number;
  /** Workers advancing the sweep (one holds its lease at a time). */
  workers: number;
  /** `drift.verificationsPerMinute` of the run. */
  perMinute: number;
  /** The JSON results file. */
  out: string;
}

function wholeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${text} is not a whole number ≥ 1`);
  return n;
}

/** The options of a command line (`process.argv.slice(2)`); throws on anything it does not know. */
export function parseDriftBenchOptions(argv: readonly string[], name = 'drift-bench'): DriftBenchOptions {
  const o = new Command(name)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .option('--inventory <n>', 'READY accounts in the store', wholeNumber, 1000)
    .option(
      '--sample <n>',
      'stop after n verified accounts (default: sweep the whole inventory)',
      wholeNumber,
    )
    .option('--workers <n>', 'workers advancing the sweep', wholeNumber, 2)
    .option('--per-minute <n>', 'drift.verificationsPerMinute (1-600)', wholeNumber, 600)
    .option('--out <file>', 'JSON results', resultsFile(name))
    .parse([...argv], { from: 'user' })
    .opts<{ inventory: number; sample?: number; workers: number; perMinute: number; out: string }>();
  if (o.perMinute > 600)
    throw new InvalidArgumentError('--per-minute is at most 600 (the config allows no more)');
  return {
    inventory: o.inventory,
    ...(o.sample === undefined || o.sample >= o.inventory ? {} : { sample: o.sample }),
    workers: o.workers,
    perMinute: o.perMinute,
    out: o.out,
  };
}
