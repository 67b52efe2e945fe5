import {
  refreshOrganisationReads,
  withOrganisationReadCache,
} from '../../../src/verify/organisation-read-cache';
import { EXAMPLE_CONFIG, FakeClock, harness, submit } from '../workflow/harness';

describe('refreshing the organisation facts verifications share', () => {
  async function cachedView() {
    const h = await harness();
    const clock = new FakeClock();
    const aws = withOrganisationReadCache(h.aws, clock, 60_000);
    const trailReads = () => h.aws.calls.findTrail ?? 0;
    return { h, clock, aws, trailReads };
  }

  it('reads again the facts that expired, so the next verification finds them fresh without a call', async () => {
    const { clock, aws, trailReads } = await cachedView();
    const root = await aws.organizations.getRoot();
    await aws.orgServices.findTrail('avf-org-trail');
    expect(trailReads()).toBe(1);

    clock.advance(61_000);
    await refreshOrganisationReads(aws);
    expect(trailReads()).toBe(2);
    // served from the refresh: no read of its own
    await aws.orgServices.findTrail('avf-org-trail');
    expect(trailReads()).toBe(2);
    // kept for good (the root) is not read again
    expect(await aws.organizations.getRoot()).toEqual(root);
  });

  it('leaves alone the facts still fresh for longer than the verifications take to come', async () => {
    const { clock, aws, trailReads } = await cachedView();
    await aws.orgServices.findTrail('avf-org-trail');
    clock.advance(30_000);
    await refreshOrganisationReads(aws);
    expect(trailReads()).toBe(1);
    // within seconds of expiring: read again
    clock.advance(25_000);
    await refreshOrganisationReads(aws);
    expect(trailReads()).toBe(2);
  });

  it('does nothing for ports without the cache', async () => {
    const { h } = await cachedView();
    const before = { ...h.aws.calls };
    await refreshOrganisationReads(h.aws);
    expect(h.aws.calls).toEqual(before);
  });

  it("is asked for when a batch's StackSet operation has succeeded, before its accounts are verified", async () => {
    const { h } = await cachedView();
    h.aws.operationPolls = 1;
    const refresh = jest.spyOn(h.deps.verifier, 'refreshOrganisationReads');
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    // once per StackSet's batch, by the member that found it ended
    expect(refresh).toHaveBeenCalledTimes(EXAMPLE_CONFIG.config.stackSets.length);
  });
});
