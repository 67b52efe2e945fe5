import { AvfError } from '../../src/domain/errors';
import { submitAccountRequest, type IntakeDeps } from '../../src/workflow/intake';
import { benchRequestBody } from '../bench/bodies';
import { percentile } from '../bench/stats';
import type { CallLog } from './model/metered-aws';
import type { VirtualTime } from './virtual-time';

/** What the submissions cost: AWS calls per request, and how long each POST took (virtual). */
export interface IntakeFigures {
  awsCallsPerRequest: number;
  throttles: number;
  p50Seconds: number | undefined;
  maxSeconds: number;
  /** Virtual time from the first submission to the last one answered. */
  totalSeconds: number;
}

/** Clients posting the requests at once, each retrying a throttled (503) submission as API clients do. */
const SUBMITTERS = 8;
const PLATFORM = { role: 'platform' as const, name: 'sim' };

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * Submits `n` requests through the factory's real intake, `SUBMITTERS` at a time, and measures
 * them: the AWS calls the model counted while they ran (nothing else runs meanwhile) and each
 * submission's time from its first try to its answer.
 */
export async function submitAll(
  n: number,
  time: VirtualTime,
  deps: IntakeDeps,
  log: CallLog,
): Promise<IntakeFigures> {
  const callsBefore = sum(log.calls);
  const throttlesBefore = sum(log.throttles);
  const startedAt = time.ms();
  const durations: number[] = [];
  let next = 0;
  const client = async () => {
    for (let i = next++; i < n; i = next++) {
      const from = time.ms();
      for (let attempt = 0; ; attempt++) {
        try {
          await submitAccountRequest(deps, PLATFORM, benchRequestBody('sim', i));
          break;
        } catch (e) {
          if (!(e instanceof AvfError && e.retryable) || attempt >= 10) throw e;
          await time.sleep(1_000 * 2 ** Math.min(attempt, 5));
        }
      }
      durations.push(time.ms() - from);
    }
  };
  await time.run(Promise.all(Array.from({ length: Math.min(SUBMITTERS, n) }, client)));
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);
  return {
    awsCallsPerRequest: Math.round(((sum(log.calls) - callsBefore) / n) * 100) / 100,
    throttles: sum(log.throttles) - throttlesBefore,
    p50Seconds: seconds(percentile(durations, 50)),
    maxSeconds: seconds(Math.max(0, ...durations)) ?? 0,
    totalSeconds: seconds(time.ms() - startedAt) ?? 0,
  };
}
