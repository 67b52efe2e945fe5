import type { RequestRecord } from '../../../src/domain/account-request';
import { retryAccountRequest } from '../../../src/workflow/intake';
import { readDocument } from '../../../src/workflow/coordination/document';
import {
  IDENTITY_CENTER_QUOTA,
  takeAssignmentSlot,
} from '../../../src/workflow/coordination/identity-center-quota';
import { EXAMPLE_CONFIG, harness, submit, tickUntil, type Harness } from './harness';

const step = (r: RequestRecord, name: string) => r.steps.find((s) => s.name === name)!;
const at = (iso: string | undefined) => Date.parse(iso ?? '');

async function outstanding(h: Harness) {
  return (await readDocument(h.store, IDENTITY_CENTER_QUOTA, 'identity-center')).body.outstanding;
}

/**
 * A request of the example organisation, ticked a second apart until it waits in the baseline with
 * its assignment under way; StackSet operations and assignments take the given number of checks.
 */
async function assigningInBaseline(polls: { operation: number; assignment: number }) {
  const h = await harness();
  h.aws.createAccountPolls = 0;
  h.aws.operationPolls = polls.operation;
  h.aws.assignmentPolls = polls.assignment;
  const req = await submit(h);
  const assigning = await tickUntil(
    h,
    req.id,
    (r) => r.phase === 'baseline' && (r.handles.assignments ?? []).some((a) => a.requestId !== undefined),
    { stepMs: 1_000 },
  );
  return { h, req, assigning };
}

describe('the access is granted while the StackSets deploy', () => {
  it('starts and finishes the assignment during the baseline, records it as it happened, and does not repeat it', async () => {
    const { h, req, assigning } = await assigningInBaseline({ operation: 4, assignment: 1 });
    // still quarantined while the team's group is being granted
    const scps = await h.aws.organizations.listPoliciesForTarget(
      assigning.accountId!,
      'SERVICE_CONTROL_POLICY',
    );
    expect(scps.map((p) => p.name)).toContain('quarantine');
    // the request comes back for the assignment when assignments usually finish, not when the StackSets do
    expect(at(assigning.nextCheckAt) - h.clock.now().getTime()).toBeLessThanOrEqual(10_000);

    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    const access = step(done, 'identity-center');
    expect(access.status).toBe('SUCCEEDED');
    expect(access.detail).toContain('while waiting in baseline');
    expect(at(access.startedAt)).toBeGreaterThanOrEqual(at(step(done, 'baseline').startedAt));
    expect(at(access.finishedAt)).toBeLessThanOrEqual(at(step(done, 'baseline').finishedAt));
    expect(h.aws.calls.startAccountAssignment).toBe(1);
    expect(await outstanding(h)).toEqual([]);
  });

  it('keeps its assignment slot while the request waits in the baseline: another caller cannot take it as dead', async () => {
    const { h, req } = await assigningInBaseline({ operation: 100, assignment: 100 });
    expect((await outstanding(h)).map((o) => o.requestId)).toEqual([req.id]);
    // every other slot taken by live jobs; the full quota makes a newcomer look for dead holders
    const max = EXAMPLE_CONFIG.config.worker.identityCenter.maxOutstandingAssignments;
    for (let i = 1; i < max; i++) await takeAssignmentSlot(h.deps, req.id, `other-${i}`);
    expect(await takeAssignmentSlot(h.deps, 'someone-else', 'theirs')).toBe(false);
    expect((await outstanding(h)).filter((o) => o.requestId === req.id)).toHaveLength(max);
  });

  it('gives the slot back when the request fails in the baseline', async () => {
    const { h, assigning, req } = await assigningInBaseline({ operation: 3, assignment: 100 });
    h.aws.failStackInstances(assigning.accountId!, 'Resource handler returned message: AccessDenied');
    const failed = await h.runToEnd(req.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error?.phase).toBe('baseline');
    expect(await outstanding(h)).toEqual([]);
  });

  it('fails in its turn with the reason AWS gave ahead, and a retry grants afresh', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 3;
    h.aws.identityCenter.failNextAssignment('the permission set is not provisioned');
    const req = await submit(h);
    const failed = await h.runToEnd(req.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error?.phase).toBe('identity-center');
    expect(failed.error?.message).toContain('the permission set is not provisioned');
    // AWS's answer was not overridden by a silent second try while the StackSets deployed
    expect(h.aws.calls.startAccountAssignment).toBe(1);
    await retryAccountRequest(h.deps, { role: 'platform', name: 'ops' }, req.id);
    const retried = await h.runToEnd(req.id);
    expect(retried.status).toBe('READY');
    expect(retried.handles.failedAhead).toBeUndefined();
    expect(h.aws.calls.startAccountAssignment).toBe(2);
  });

  it('a retry after a baseline failure forgets an assignment that failed ahead', async () => {
    const { h, req, assigning } = await assigningInBaseline({ operation: 3, assignment: 0 });
    h.aws.identityCenter.failNextAssignment('transient provisioning error');
    // the next assignment (this one was started already) fails: drop it and start again ahead
    const record = (await h.store.get(req.id))!;
    record.handles.assignments = record.handles.assignments!.map((a) => ({
      ...a,
      requestId: undefined,
      status: 'PENDING' as const,
    }));
    await h.store.save(record);
    h.aws.failStackInstances(assigning.accountId!, 'Resource handler returned message: AccessDenied');
    const failed = await h.runToEnd(req.id);
    expect(failed.error?.phase).toBe('baseline');
    expect(failed.handles.failedAhead?.phase).toBe('identity-center');
    h.aws.stackSets.failingAccounts.delete(assigning.accountId!);
    await retryAccountRequest(h.deps, { role: 'platform', name: 'ops' }, req.id);
    const retried = await h.runToEnd(req.id);
    expect(retried.status).toBe('READY');
  });

  it('waits for its turn after the baseline when no quarantine policy guards the account', async () => {
    const h = await harness();
    const organization = { ...EXAMPLE_CONFIG.config.organization, quarantinePolicy: undefined };
    h.deps.config = { ...EXAMPLE_CONFIG, config: { ...EXAMPLE_CONFIG.config, organization } };
    h.aws.operationPolls = 2;
    const req = await submit(h);
    // (verification then fails A-2, which wants the quarantine: only the order matters here)
    const done = await h.runToEnd(req.id);
    expect(step(done, 'identity-center').status).toBe('SUCCEEDED');
    expect(step(done, 'identity-center').detail).not.toContain('while waiting');
    expect(at(step(done, 'identity-center').startedAt)).toBeGreaterThanOrEqual(
      at(step(done, 'baseline').finishedAt),
    );
  });
});
