import {
  IDENTITY_CENTER_QUOTA,
  reserveCalls,
} from '../../../src/workflow/coordination/identity-center-quota';
import { readDocument } from '../../../src/workflow/coordination/document';
import { harness, submit } from './harness';

describe('Identity Center quotas', () => {
  it('keeps at most 10 assignments outstanding across requests, and frees the slots as they finish', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    // assignments outstanding long enough that the third CreateAccount wave finds all 10 slots held
    // (they are started while the StackSets deploy, so the waves' assignments overlap only so far)
    h.aws.assignmentPolls = 30;
    const reqs = [];
    for (let i = 0; i < 12; i++) reqs.push(await submit(h));
    const ids = reqs.map((r) => r.id);
    let most = 0;
    let sawWaiting = false;
    for (let i = 0; i < 1000; i++) {
      const states = await Promise.all(ids.map((id) => h.store.get(id)));
      if (states.every((r) => r?.status === 'READY')) break;
      sawWaiting ||= states.some((r) =>
        r?.steps.some((s) => s.detail?.includes('waiting for one of 10 outstanding assignment slots')),
      );
      await h.worker.tick();
      const { body } = await readDocument(h.store, IDENTITY_CENTER_QUOTA, 'identity-center');
      most = Math.max(most, body.outstanding.length);
      h.clock.advance(2_000);
    }
    expect(most).toBe(10);
    expect(sawWaiting).toBe(true);
    expect((await Promise.all(ids.map((id) => h.store.get(id)))).map((r) => r?.status)).toEqual(
      Array(12).fill('READY'),
    );
    expect(h.aws.calls.startAccountAssignment).toBe(12);
    expect((await readDocument(h.store, IDENTITY_CENTER_QUOTA, 'identity-center')).body.outstanding).toEqual(
      [],
    );
  });

  it('grants at most 20 calls within a second, all callers together, and says how long to wait', async () => {
    const h = await harness();
    expect(await reserveCalls(h.deps, 12)).toBe(0);
    h.clock.advance(400);
    expect(await reserveCalls(h.deps, 8)).toBe(0);
    // full: the oldest 12 leave the window 600 ms from now
    expect(await reserveCalls(h.deps, 3)).toBe(600);
    h.clock.advance(600);
    expect(await reserveCalls(h.deps, 3)).toBe(0);
  });
});
