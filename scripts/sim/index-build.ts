import { readIndexState } from '../../src/workflow/org-index/account-email-index';
import { INDEX_REFRESH_KIND } from '../../src/workflow/org-index/refresh-kind';
import type { WorkflowDeps } from '../../src/workflow/step';
import { Worker } from '../../src/workflow/worker';
import { tickUntilStopped } from '../../src/workflow/worker-loop';
import type { CallLog } from './model/metered-aws';
import type { VirtualTime } from './virtual-time';

/** What building the organisation account index cost, before the run (not counted in its figures). */
export interface IndexBuild {
  awsCalls: number;
  seconds: number;
  accounts: number;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * Builds the organisation account index as a factory's worker would have before the burst: its
 * standing job, stepped by a worker running only that kind, until one walk of ListAccounts has
 * completed. Its calls are then taken out of the log, so the run's figures are the burst's; the
 * vend's workers find the job waiting for its next refresh.
 */
export async function buildAccountIndex(
  deps: WorkflowDeps,
  time: VirtualTime,
  log: CallLog,
): Promise<IndexBuild> {
  const from = time.ms();
  const callsBefore = sum(log.calls);
  let built = false;
  const worker = new Worker(deps, { id: 'sim-index-builder', kinds: [INDEX_REFRESH_KIND] });
  await time.run(
    tickUntilStopped(worker, {
      idleMs: 500,
      stopped: () => built,
      sleep: (ms) => time.sleep(ms),
      onTick: () => {
        void readIndexState(deps.store).then((s) => (built = s.lastWalk !== undefined));
      },
      onError: (e) => {
        throw e;
      },
    }),
  );
  const awsCalls = sum(log.calls) - callsBefore;
  log.calls.clear();
  log.throttles.clear();
  const accounts = (await readIndexState(deps.store)).entries;
  return { awsCalls, seconds: Math.round((time.ms() - from) / 100) / 10, accounts };
}
