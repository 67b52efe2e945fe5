import { expectEachReadyOnce } from '../../test/support/harness/kill-test-expectations';
import { KILL_TEST, runCrashScenario } from '../../test/support/harness/crash-scenario';

/**
 * The factory as a child process (`avf serve` on a SQLite file), SIGKILLed at seeded random
 * moments and started again, against moto behind the AWS behaviour layer (time-compressed).
 * `npm run soak` is the long version.
 */
describe('crash safety: never a duplicate, never lost', () => {
  it('every request ends READY with exactly one AWS account, however often the factory is killed', async () => {
    expectEachReadyOnce(await runCrashScenario(KILL_TEST));
  }, 200_000);
});
