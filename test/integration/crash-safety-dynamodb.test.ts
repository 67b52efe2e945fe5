import { expectEachReadyOnce } from '../../test/support/harness/kill-test-expectations';
import { KILL_TEST, runCrashScenario } from '../../test/support/harness/crash-scenario';

/**
 * The deployment's shape: the API (`avf serve --no-worker`) and three `avf worker` processes on one
 * DynamoDB table (moto's, behind the AWS behaviour layer), a seeded worker SIGKILLed at seeded
 * moments and started again, with throttling and 503s injected into every AWS call — the store's
 * own DynamoDB writes included, some of them carried out before the 503 came back.
 */
describe('crash safety on DynamoDB with several workers', () => {
  it('every request ends READY with exactly one AWS account', async () => {
    const result = await runCrashScenario({ ...KILL_TEST, store: 'dynamodb', workers: 3 });
    expectEachReadyOnce(result);
    // The faults reached the store too, not only the AWS services the factory drives.
    expect(result.storeWriteFaults).toBeGreaterThan(0);
  }, 300_000);
});
