import { accountAssignments } from '../../../src/verify/controls/account-assignments';
import { harness, submit } from '../workflow/harness';

describe('the assignments on an account (IAM-5, drift, access changes)', () => {
  async function vendedWithAnExtraGrant() {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    const accountId = done.accountId!;
    // someone grants the group Admin by hand, outside the factory
    const { instanceArn } = await h.deps.directory.identityCenter();
    h.aws.assignmentPolls = 0;
    const { requestId } = await h.aws.identityCenter.startAccountAssignment({
      instanceArn,
      accountId,
      permissionSetArn: await h.deps.directory.permissionSetArn('Admin'),
      groupId: await h.deps.directory.groupId('payments-developers'),
    });
    expect((await h.aws.identityCenter.getAccountAssignmentStatus(instanceArn, requestId)).status).toBe(
      'SUCCEEDED',
    );
    for (const method of Object.keys(h.aws.calls)) delete h.aws.calls[method];
    return { h, accountId };
  }

  it('on AWS, lists only under the permission sets provisioned to the account, and sees a grant made by hand', async () => {
    const { h, accountId } = await vendedWithAnExtraGrant();
    const { assignments, setNames } = await accountAssignments(h.deps, accountId, false);
    expect([...setNames.values()].sort()).toEqual(['Admin', 'Developer']);
    expect(h.aws.calls.listAccountAssignments).toBe(2);
    expect(assignments).toHaveLength(2);
    expect(assignments.map((a) => setNames.get(a.permissionSetArn)).sort()).toEqual(['Admin', 'Developer']);
  });

  it('on an emulator, which does not record provisioning per account, lists under every configured set too', async () => {
    const { h, accountId } = await vendedWithAnExtraGrant();
    const configured = h.deps.config.config.permissionSets.length;
    const { assignments, setNames } = await accountAssignments(h.deps, accountId, true);
    expect(setNames.size).toBe(configured);
    expect(h.aws.calls.listAccountAssignments).toBe(configured);
    expect(assignments).toHaveLength(2);
  });
});
