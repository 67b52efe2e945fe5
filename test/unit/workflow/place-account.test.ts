import type { RequestRecord } from '../../../src/domain/account-request';
import { harness, submit, tickUntil, type Harness } from './harness';

/** Ticks (a minute apart) until the request has left create-account and waits in place-account. */
const untilPlacing = (h: Harness, id: string) => tickUntil(h, id, (r) => r.phase === 'place-account');

/** One more tick: place-account runs. */
async function place(h: Harness, id: string): Promise<RequestRecord> {
  await h.worker.tick();
  const record = (await h.store.get(id))!;
  expect(record.steps.find((s) => s.name === 'place-account')?.status).toBe('SUCCEEDED');
  return record;
}

const callsDuringPlacement = (h: Harness) => {
  for (const method of Object.keys(h.aws.calls)) delete h.aws.calls[method];
};

describe('place-account', () => {
  it('moves an account its own CreateAccount made from the root, without tagging it again or reading its parent', async () => {
    const h = await harness();
    const req = await submit(h);
    const placing = await untilPlacing(h, req.id);
    expect(placing.handles.createdByThisRequest).toBe(true);
    callsDuringPlacement(h);

    const placed = await place(h, req.id);
    expect(h.aws.calls.tagResource).toBeUndefined();
    expect(h.aws.calls.getParentId).toBeUndefined();
    expect(h.aws.calls.moveAccount).toBe(1);
    const orgs = h.aws.organizations;
    expect(await orgs.getParentId(placed.accountId!)).toBe(await h.deps.directory.ouId('Workloads/NonProd'));
    // the tags CreateAccount carried are there
    expect(await orgs.listTags(placed.accountId!)).toEqual(
      expect.objectContaining({ environment: 'dev', 'avf:request-id': req.id }),
    );
  });

  it('does not move an account again when the step is repeated after its move (a worker taking the request over)', async () => {
    const h = await harness();
    const req = await submit(h);
    await untilPlacing(h, req.id);
    const placed = await place(h, req.id);
    const target = await h.deps.directory.ouId('Workloads/NonProd');
    expect(placed.handles.placedIn).toBe(target);
    // as the store holds it when the lease was lost after the move's checkpoint
    const again = structuredClone(placed);
    again.phase = 'place-account';
    again.steps = again.steps.map((s) =>
      s.name === 'place-account' ? { name: s.name, status: 'PENDING' } : s,
    );
    again.nextCheckAt = h.clock.now().toISOString();
    await h.store.save(again);
    callsDuringPlacement(h);

    await place(h, req.id);
    expect(h.aws.calls.moveAccount).toBeUndefined();
    expect(await h.aws.organizations.getParentId(placed.accountId!)).toBe(target);
  });

  it('still places an account someone moved out of the root by hand before the factory did', async () => {
    const h = await harness();
    const req = await submit(h);
    const placing = await untilPlacing(h, req.id);
    const orgs = h.aws.organizations;
    const sandbox = await h.deps.directory.ouId('Sandbox');
    await orgs.moveAccount(placing.accountId!, await h.deps.directory.rootId(), sandbox);
    callsDuringPlacement(h);

    const placed = await place(h, req.id);
    expect(h.aws.calls.getParentId).toBe(1);
    expect(h.aws.calls.moveAccount).toBe(2);
    expect(await orgs.getParentId(placed.accountId!)).toBe(await h.deps.directory.ouId('Workloads/NonProd'));
  });

  it('tags and looks up an account it adopted instead of creating', async () => {
    const h = await harness();
    const req = await submit(h);
    const placing = await untilPlacing(h, req.id);
    // as if an earlier attempt's account had been adopted: no tags, nothing known about its place
    delete placing.handles.createdByThisRequest;
    await h.store.save(placing);
    const orgs = h.aws.organizations;
    await orgs.untagResource(placing.accountId!, Object.keys(await orgs.listTags(placing.accountId!)));
    callsDuringPlacement(h);

    const placed = await place(h, req.id);
    expect(h.aws.calls.tagResource).toBe(1);
    expect(h.aws.calls.getParentId).toBe(1);
    expect(await orgs.listTags(placed.accountId!)).toEqual(
      expect.objectContaining({ environment: 'dev', 'avf:request-id': req.id }),
    );
  });
});
