import type { RequestRecord } from '../../../src/domain/account-request';
import { harness, submit, tickUntil } from './harness';

const step = (r: RequestRecord, name: string) => r.steps.find((s) => s.name === name)!;
const at = (iso: string | undefined) => Date.parse(iso ?? '');

describe('the account is hardened while it is being placed', () => {
  it('waits for its role and hardens beside placement, records both as they happened, and goes on to the baseline', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    const req = await submit(h);
    const placed = await tickUntil(h, req.id, (r) => step(r, 'place-account').status === 'SUCCEEDED');
    // one look did all three: straight on to the baseline
    expect(placed.phase).toBe('baseline');
    for (const name of ['await-access', 'harden']) {
      expect(step(placed, name).status).toBe('SUCCEEDED');
      expect(step(placed, name).detail).toContain('alongside place-account');
      expect(at(step(placed, name).startedAt)).toBe(at(step(placed, 'place-account').startedAt));
    }
    // hardened for real, and quarantined and placed as before
    expect(h.aws.calls.putPasswordPolicy).toBeGreaterThanOrEqual(1);
    const scps = await h.aws.organizations.listPoliciesForTarget(placed.accountId!, 'SERVICE_CONTROL_POLICY');
    expect(scps.map((p) => p.name)).toContain('quarantine');

    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    // not repeated in their turn; the role assumed once: await-access's session serves the rest
    expect(h.aws.calls.assumeAccountRole).toBe(1);
    // …as a session named after the request, which the account's CloudTrail shows on every call
    expect([...h.aws.sessions]).toEqual([`${done.accountId}/avf-${req.id}`]);
    expect(step(done, 'harden').detail).toContain('alongside place-account');
  });

  it('leaves hardening to its turn while the new account refuses the role', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.assumeRoleFailures = 1;
    const req = await submit(h);
    const placed = await tickUntil(h, req.id, (r) => step(r, 'place-account').status === 'SUCCEEDED');
    expect(placed.phase).toBe('await-access');
    expect(step(placed, 'await-access').status).toBe('PENDING');
    expect(step(placed, 'await-access').detail).toContain('started alongside place-account');
    expect(step(placed, 'harden').status).toBe('PENDING');
    expect(step(placed, 'harden').startedAt).toBeUndefined();

    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    expect(step(done, 'harden').status).toBe('SUCCEEDED');
    expect(step(done, 'harden').detail).not.toContain('alongside');
  });
});
