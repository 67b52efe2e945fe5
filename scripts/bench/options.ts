import { Command, InvalidArgumentError } from 'commander';
import { resultsFile } from '../results-file';

/** What `npm run bench` runs; see BENCHMARKS.md for the command lines. */
export interface BenchOptions {
  /** Accounts per vend run, in the factory's (batched) mode. */
  sizes: number[];
  /** The sizes also run in naive mode (one StackSet operation per account). */
  naiveSizes: number[];
  /** Seconds autocannon runs against each HTTP target. */
  httpSeconds: number;
  /** Stored requests at which the memory probe measures. */
  memorySteps: number[];
  sections: Record<Section, boolean>;
  /** A vend run that has not settled after this many minutes stops and reports what is stuck. */
  timeoutMinutes?: number;
  quick: boolean;
  /** The JSON results file and the Markdown report. */
  out: string;
  markdown: string;
}

export const SECTIONS = ['vend', 'http', 'memory'] as const;
export type Section = (typeof SECTIONS)[number];

/** `--quick`: a smoke run of every section in a few minutes. Options given explicitly still win. */
const QUICK = { sizes: [1, 5], naiveSizes: [1, 5], httpSeconds: 2, memorySteps: [500, 1_000, 2_000] };

function wholeNumbers(text: string): number[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const n = Number(part);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${part} is not a whole number ≥ 1`);
    return n;
  });
}

function positive(text: string): number {
  const n = Number(text);
  if (!(n > 0)) throw new InvalidArgumentError(`${text} is not a positive number`);
  return n;
}

function sections(text: string): Record<Section, boolean> {
  const names = text.split(',');
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`${unknown.join(', ')}: sections are ${SECTIONS.join(', ')}`);
  return { vend: names.includes('vend'), http: names.includes('http'), memory: names.includes('memory') };
}

interface Parsed {
  quick?: boolean;
  sizes?: number[];
  naiveSizes?: number[];
  httpSeconds?: number;
  memorySteps?: number[];
  only?: Record<Section, boolean>;
  timeoutMinutes?: number;
  out: string;
  markdown: string;
}

/** The options of a command line (`process.argv.slice(2)`); throws on anything it does not know. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const o = new Command('bench')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .option('--quick', `smoke run: sizes ${QUICK.sizes.join(',')}, short HTTP runs, fewer stored requests`)
    .option('--sizes <list>', 'accounts per vend run (default 1,10,50,200)', wholeNumbers)
    .option('--naive-sizes <list>', 'sizes also run naively (default 1,10,50; empty: none)', wholeNumbers)
    .option('--http-seconds <s>', 'autocannon duration per target (default 5)', positive)
    .option('--memory-steps <list>', 'stored requests to measure at (default 1000,5000,10000)', wholeNumbers)
    .option('--only <sections>', `sections to run, of ${SECTIONS.join(',')}`, sections)
    .option('--timeout-minutes <m>', 'give up on a vend run after this long', positive)
    .option('--out <file>', 'JSON results', resultsFile('bench'))
    .option('--markdown <file>', 'Markdown report', 'BENCHMARKS.md')
    .parse([...argv], { from: 'user' })
    .opts<Parsed>();
  const quick = o.quick === true;
  return {
    sizes: o.sizes ?? (quick ? QUICK.sizes : [1, 10, 50, 200]),
    naiveSizes: o.naiveSizes ?? (quick ? QUICK.naiveSizes : [1, 10, 50]),
    httpSeconds: o.httpSeconds ?? (quick ? QUICK.httpSeconds : 5),
    memorySteps: o.memorySteps ?? (quick ? QUICK.memorySteps : [1_000, 5_000, 10_000]),
    sections: o.only ?? { vend: true, http: true, memory: true },
    ...(o.timeoutMinutes === undefined ? {} : { timeoutMinutes: o.timeoutMinutes }),
    quick,
    out: o.out,
    markdown: o.markdown,
  };
}
