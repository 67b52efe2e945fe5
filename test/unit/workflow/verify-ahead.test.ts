import type { RequestRecord } from '../../../src/domain/account-request';
import { CONTROLS } from '../../../src/verify/controls';
import { retryAccountRequest } from '../../../src/workflow/intake';
import { verifiedAheadResults } from '../../../src/workflow/verify-ahead';
import { harness, submit, tickUntil, type Harness } from './harness';

const ahead = (r: RequestRecord) => r.handles.verifiedAheadAt !== undefined;
/** The document the results are kept in, by request id (verify-ahead.ts). */
const keptFor = (h: Harness, id: string) => h.store.getDocument('verified-ahead', id);
const result = (r: RequestRecord, id: string) => r.lastVerification?.results.find((x) => x.id === id);

/** Controls whose settings a phase before the baseline (or bootstrap) sets. */
const SETTLED_AHEAD = CONTROLS.filter((c) => c.settledBy !== undefined).map((c) => c.id);

describe('controls checked while the StackSets deploy', () => {
  it('are read once, while the request waits in the baseline, and not again by its verification', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 3;
    const req = await submit(h);
    const waiting = await tickUntil(h, req.id, ahead, { stepMs: 2_000 });
    expect(waiting.phase).toBe('baseline');
    // the budget and the access, run ahead, are done first
    for (const phase of ['budget', 'identity-center'])
      expect(waiting.steps.find((s) => s.name === phase)?.status).toBe('SUCCEEDED');
    const kept = await verifiedAheadResults(h.deps, waiting);
    const passed = new Set(kept.map((r) => r.id));
    for (const id of ['B-1', 'B-2', 'IAM-5', 'IAM-6', 'O-1', 'G-1', 'A-2']) expect(passed).toContain(id);
    // what the baseline sets is left to the verification
    for (const id of ['S-1', 'L-5', 'IAM-7']) expect(passed).not.toContain(id);
    expect([...passed].every((id) => SETTLED_AHEAD.includes(id))).toBe(true);
    const budgetReads = h.aws.calls.findBudget;
    expect(budgetReads).toBe(1);

    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    expect(h.aws.calls.findBudget).toBe(budgetReads);
    // the report says which results were read ahead, and when; the others carry the verification's time
    const checkedAt = kept[0]!.checkedAt;
    expect(checkedAt).toBeDefined();
    expect(result(done, 'B-1')).toMatchObject({ status: 'PASS', checkedAt });
    expect(result(done, 'S-1')?.checkedAt).toBeUndefined();
    expect(Date.parse(checkedAt!)).toBeLessThan(Date.parse(done.lastVerification!.verifiedAt));
    // every control is in the report, in report order
    expect([...new Set(done.lastVerification!.results.map((r) => r.id))]).toEqual(CONTROLS.map((c) => c.id));
    expect(done.handles.verifiedAheadAt).toBeUndefined();
    // kept apart from the request, and dropped once the verification has used them
    expect(JSON.stringify(waiting)).not.toContain('"evidence"');
    expect(await keptFor(h, req.id)).toBeUndefined();
  });

  it('leaves a control that did not pass ahead to the verification, which reads it again', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 3;
    // the budget cannot be read while the StackSets deploy
    h.aws.throttle('findBudget', 5);
    const req = await submit(h);
    const waiting = await tickUntil(h, req.id, ahead, { stepMs: 2_000 });
    expect((await verifiedAheadResults(h.deps, waiting)).map((r) => r.id)).not.toContain('B-1');
    h.aws.unthrottle('findBudget');
    const reads = h.aws.calls.findBudget ?? 0;

    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    expect(h.aws.calls.findBudget).toBe(reads + 1);
    expect(result(done, 'B-1')).toMatchObject({ status: 'PASS' });
    expect(result(done, 'B-1')?.checkedAt).toBeUndefined();
  });

  it('are read afresh after a retry', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 3;
    const req = await submit(h);
    const waiting = await tickUntil(h, req.id, ahead, { stepMs: 2_000 });
    h.aws.failStackInstances(waiting.accountId!, 'Resource handler returned message: AccessDenied');
    const failed = await h.runToEnd(req.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error?.phase).toBe('baseline');
    // a failed request keeps nothing for a verification that will not come
    expect(await keptFor(h, req.id)).toBeUndefined();
    h.aws.stackSets.failingAccounts.delete(waiting.accountId!);

    const retried = await retryAccountRequest(h.deps, { role: 'platform', name: 'ops' }, req.id);
    expect(retried.handles.verifiedAheadAt).toBeUndefined();
    const reads = h.aws.calls.findBudget ?? 0;
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    // checked again, ahead or by the verification
    expect(h.aws.calls.findBudget).toBe(reads + 1);
  });
});
