import { runCrashScenario } from '../../test/support/harness/crash-scenario';

/**
 * The factory as a child process, SIGKILLed at seeded random moments and started again, against
 * moto behind the AWS behaviour layer (time-compressed). `npm run soak` is the long version.
 */
describe('crash safety: never a duplicate, never lost', () => {
  it('every request ends READY with exactly one AWS account, however often the factory is killed', async () => {
    const result = await runCrashScenario({
      requests: 6,
      kills: 4,
      seed: 11,
      profile: {
        createAccount: { durationMs: 1_500 },
        stackSets: { operationMs: 1_000 },
        assignments: { durationMs: 300 },
        faults: { throttleRate: 0.02, unavailableRate: 0.02 },
      },
      killAfterMs: [1_000, 4_000],
      settleTimeoutMs: 60_000,
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
    // The factory's own limiter keeps within the organisation's 5 concurrent CreateAccount.
    expect(result.createAccountRejected).toEqual({});
  }, 150_000);
});
