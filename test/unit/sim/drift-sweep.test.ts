import { simulateDriftSweep } from '../../../scripts/sim/drift';

describe('the drift sweep in the AWS model', () => {
  it('sweeps the whole inventory on the virtual clock, never above its configured rate', async () => {
    const r = await simulateDriftSweep({ inventory: 45, workers: 2, perMinute: 30 });
    expect(r).toMatchObject({ inventory: 45, accountsVerified: 45, sweepFinished: true });
    expect(r.maxVerificationsIn60s).toBeGreaterThan(0);
    expect(r.maxVerificationsIn60s).toBeLessThanOrEqual(30);
    expect(r.withinConfiguredRate).toBe(true);
    // 45 accounts at 30 a minute take at least 90 virtual seconds
    expect(r.virtualMinutes).toBeGreaterThanOrEqual(1.5);
    expect(r.rateBoundPerMinute).toBeLessThanOrEqual(30);
    expect(r.awsCallsPerAccountByFamily['organizations']).toBeGreaterThan(0);
  });
});
