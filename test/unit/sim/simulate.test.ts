import { simulate, simulateRepeated, warmUpCpuMs } from '../../../scripts/sim/run';

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
    // the vend's own calls, counted per request as the SDK middleware counts them, are part of all the calls
    expect(result.vendCallsPerAccount).toBeGreaterThan(result.awsCallsPerAccount / 2);
    expect(result.vendCallsPerAccount).toBeLessThanOrEqual(result.awsCallsPerAccount);
    expect(result.callsByOperation['organizations:startCreateAccount']).toBe(1);
    expect(result.phases.map((p) => p.phase)).toContain('baseline');
    // The same seed is the same run: request ids and the store's tag come from the seed too.
    const again = await simulate(options);
    expect(again.makespanSeconds).toBe(result.makespanSeconds);
    expect(again.callsByOperation).toEqual(result.callsByOperation);
    expect(again.phases).toEqual(result.phases);
  });

  it('starts from an organisation that already holds accounts: with the account index the intake does not walk them', async () => {
    const options = { accounts: 3, seed: 3, createConcurrency: 5, workers: 1, maxVirtualHours: 4 };
    const indexed = await simulate({ ...options, existingAccounts: 200 });
    const cold = await simulate({ ...options, existingAccounts: 200, coldIndex: true });
    expect(indexed).toMatchObject({ existingAccounts: 200, ready: 3, failed: 0 });
    expect(cold).toMatchObject({ existingAccounts: 200, ready: 3, failed: 0 });
    // the index was built before the burst: one walk of every page of 20 accounts
    expect(indexed.indexBuild?.accounts).toBeGreaterThan(200);
    expect(indexed.indexBuild?.awsCalls).toBeGreaterThanOrEqual(Math.ceil(200 / 20));
    expect(cold.indexBuild).toBeUndefined();
    // a fresh install walks ListAccounts for each submission; the index answers from the store
    expect(indexed.intake.awsCallsPerRequest).toBe(0);
    expect(cold.intake.awsCallsPerRequest).toBeGreaterThanOrEqual(10);
    expect(cold.callsByOperation['organizations:findAccountByEmail']).toBeGreaterThanOrEqual(10);
    expect(indexed.callsByOperation['organizations:findAccountByEmail'] ?? 0).toBeLessThan(1);
  });

  it('measures the first vends apart, and the run after them is the same run', async () => {
    const options = { accounts: 4, seed: 5, createConcurrency: 5, workers: 1, maxVirtualHours: 4 };
    const cold = await simulate(options);
    const warmUp = await warmUpCpuMs(options.seed, options.createConcurrency, 2);
    expect(warmUp).toHaveLength(2);
    for (const ms of warmUp) expect(ms).toBeGreaterThan(0);
    const warm = await simulate(options);
    expect(warm.makespanSeconds).toBe(cold.makespanSeconds);
    expect(warm.callsByOperation).toEqual(cold.callsByOperation);
  });

  it('a repeated run reports the first run and the median CPU of all', async () => {
    const options = { accounts: 2, seed: 3, createConcurrency: 5, workers: 1, maxVirtualHours: 4 };
    const once = await simulate(options);
    const thrice = await simulateRepeated(options, 3);
    expect(thrice.makespanSeconds).toBe(once.makespanSeconds);
    expect(thrice.callsByOperation).toEqual(once.callsByOperation);
    expect(thrice.factoryCpuMsRuns).toHaveLength(3);
    const sorted = [...(thrice.factoryCpuMsRuns ?? [])].sort((a, b) => a - b);
    expect(thrice.factoryCpuMsPerAccount).toBe(sorted[1]);
  });
});
