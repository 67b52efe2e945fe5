import { AvfError } from '../../src/domain/errors';
import { submitAccountRequest, type IntakeDeps } from '../../src/workflow/intake';
import { benchRequestBody } from '../bench/bodies';
import { percentile } from '../bench/stats';
import type { CallLog } from './model/metered-aws';
import type { VirtualTime } from './virtual-time';

/** What the submissions cost: AWS calls per request, and how long each POST took (virtual). */
export interface IntakeFigures {
  /** Submissions stored (202); the others were refused, by error code. */
  accepted: number;
  refused: Record<string, number>;
  awsCallsPerRequest: number;
  throttles: number;
  p50Seconds: number | undefined;
  maxSeconds: number;
  /** Virtual time from the first submission to the last one answered. */
  totalSeconds: number;
}

/**
 * Clients posting the requests at once, each retrying a throttled (503) submission as API clients
 * do, up to TRIES tries; a submission still refused then is counted and the client goes on.
 */
const SUBMITTERS = 8;
const TRIES = 11;
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
  const refused: Record<string, number> = {};
  let accepted = 0;
  const submit = async (i: number) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await submitAccountRequest(deps, PLATFORM, benchRequestBody('sim', i));
        accepted += 1;
        return;
      } catch (e) {
        if (!(e instanceof AvfError)) throw e;
        if (!e.retryable || attempt >= TRIES) {
          refused[e.code] = (refused[e.code] ?? 0) + 1;
          return;
        }
        await time.sleep(1_000 * 2 ** Math.min(attempt - 1, 5));
      }
    }
  };
  let next = 0;
  const client = async () => {
    for (let i = next++; i < n; i = next++) {
      const from = time.ms();
      await submit(i);
      durations.push(time.ms() - from);
    }
  };
  await time.run(Promise.all(Array.from({ length: Math.min(SUBMITTERS, n) }, client)));
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);
  return {
    accepted,
    refused,
    awsCallsPerRequest: Math.round(((sum(log.calls) - callsBefore) / n) * 100) / 100,
    throttles: sum(log.throttles) - throttlesBefore,
    p50Seconds: seconds(percentile(durations, 50)),
    maxSeconds: seconds(Math.max(0, ...durations)) ?? 0,
    totalSeconds: seconds(time.ms() - startedAt) ?? 0,
  };
}
