/**
 * The drift sweep at any inventory size (`npm run sim:drift -- --inventory N [--per-minute P]
 * [--workers W] [--sample S]`): `N` READY accounts in the store, swept by the factory's real sweep
 * job, verifier and store against the AWS model on the virtual clock, remediation off. Prints how
 * long the sweep took against the least its rate allows, and the most verifications started in any
 * 60 s (which must stay within `drift.verificationsPerMinute`); writes `--out`
 * (bench-results/sim-drift.json).
 */
import { parseDriftBenchOptions } from '../drift-bench/options';
import { writeResults } from '../results-file';
import { simulateDriftSweep } from './drift';

async function main(): Promise<void> {
  const o = parseDriftBenchOptions(process.argv.slice(2), 'sim-drift');
  const results = await simulateDriftSweep(o);
  console.log(JSON.stringify(results, null, 2));
  writeResults(o.out, results);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
