import { simulate } from '../../../scripts/sim/run';

describe('npm run sim', () => {
  it('vends every account through the real factory against the model, within its quotas and above the bound', async () => {
    const options = { accounts: 6, seed: 3, createConcurrency: 5, workers: 1, maxVirtualHours: 4 };
    const result = await simulate(options);
    expect(result).toMatchObject({ accounts: 6, ready: 6, failed: 0, failures: {} });
    expect(result.peakCreatesInProgress).toBeLessThanOrEqual(5);
    // Nothing beats the lower bound the same model allows.
    expect(result.makespanSeconds).toBeGreaterThanOrEqual(result.lowerBoundSeconds);
    expect(result.ratio).toBeGreaterThanOrEqual(1);
    expect(result.awsCallsPerAccount).toBeGreaterThan(0);
    expect(result.callsByOperation['organizations:startCreateAccount']).toBe(1);
    expect(result.phases.map((p) => p.phase)).toContain('baseline');
    // The same seed is the same run: request ids and the store's tag come from the seed too.
    const again = await simulate(options);
    expect(again.makespanSeconds).toBe(result.makespanSeconds);
    expect(again.callsByOperation).toEqual(result.callsByOperation);
    expect(again.phases).toEqual(result.phases);
  });

  it('starts from an organisation that already holds accounts: the intake walks ListAccounts past them', async () => {
    const options = { accounts: 3, seed: 3, createConcurrency: 5, workers: 1, maxVirtualHours: 4 };
    const small = await simulate(options);
    const large = await simulate({ ...options, existingAccounts: 200 });
    expect(large).toMatchObject({ existingAccounts: 200, ready: 3, failed: 0 });
    expect(small.existingAccounts).toBe(0);
    // each submission reads every page of 20 accounts to find its e-mail unused
    expect(large.intake.awsCallsPerRequest).toBeGreaterThanOrEqual(small.intake.awsCallsPerRequest + 10);
    expect(large.intake.maxSeconds).toBeGreaterThan(small.intake.maxSeconds);
  });
});
