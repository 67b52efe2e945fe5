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
});
