import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where bench, soak and drift-bench write their figures: git-ignored; BENCHMARKS.md is the committed record. */
export const RESULTS_DIR = 'bench-results';

/** The default results file of one script, e.g. `bench-results/soak.json`. */
export const resultsFile = (name: string): string => join(RESULTS_DIR, `${name}.json`);

/** Writes `figures` as indented JSON to `file`, creating its folder. */
export function writeResults(file: string, figures: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
}
