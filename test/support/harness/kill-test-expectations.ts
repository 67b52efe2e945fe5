import type { CrashScenarioResult } from './crash-scenario';

/** Every request READY with exactly one AWS account, none lost, none created twice, no quota hit. */
export function expectEachReadyOnce(result: CrashScenarioResult): void {
  expect({ failed: result.failed, stuck: result.stuck }).toEqual({ failed: [], stuck: [] });
  expect(result).toEqual(
    expect.objectContaining({
      ready: result.requests,
      duplicates: 0,
      lost: 0,
      createAccountExecuted: result.requests,
    }),
  );
  // The factory's own limiter keeps within the organisation's 5 concurrent CreateAccount.
  expect(result.createAccountRejected).toEqual({});
}
