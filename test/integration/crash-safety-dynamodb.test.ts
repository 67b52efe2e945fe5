import { runCrashScenario } from '../../test/support/harness/crash-scenario';

/**
 * The deployment's shape: the API (`avf serve --no-worker`) and three `avf worker` processes on one
 * DynamoDB table (moto's, behind the AWS behaviour layer), a seeded worker SIGKILLed at seeded
 * moments and started again, with throttling and 503s injected into every AWS call — the store's
 * own DynamoDB writes included, some of them carried out before the 503 came back.
 */
describe('crash safety on DynamoDB with several workers', () => {
  it('every request ends READY with exactly one AWS account', async () => {
    const result = await runCrashScenario({
      requests: 6,
      kills: 4,
      seed: 11,
      store: 'dynamodb',
      workers: 3,
      profile: {
        createAccount: { durationMs: 1_500 },
        stackSets: { operationMs: 1_000 },
        assignments: { durationMs: 300 },
        faults: { throttleRate: 0.02, unavailableRate: 0.02 },
      },
      killAfterMs: [1_000, 4_000],
      settleTimeoutMs: 120_000,
    });
    expect({ failed: result.failed, stuck: result.stuck }).toEqual({ failed: [], stuck: [] });
    expect(result).toEqual(
      expect.objectContaining({
        requests: 6,
        kills: 4,
        ready: 6,
        duplicates: 0,
        lost: 0,
        createAccountExecuted: 6,
      }),
    );
    expect(result.createAccountRejected).toEqual({});
    // The faults reached the store too, not only the AWS services the factory drives.
    expect(result.storeWriteFaults).toBeGreaterThan(0);
  }, 300_000);
});
