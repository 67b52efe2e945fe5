import { accountIdOf, done, fail, wait, type Step } from '../step';

/**
 * Grants each (group, permission set) of the request in the new account. Looks before it creates
 * (an existing assignment is success), persists each assignment request id, then polls it.
 */
export const identityCenter: Step = async ({ deps, record, checkpoint }) => {
  const accountId = accountIdOf(record);
  const ic = deps.aws.identityCenter;
  const { instanceArn } = await deps.directory.identityCenter();
  record.handles.assignments ??= record.spec.access.map((a) => ({ ...a, status: 'PENDING' as const }));
  const pending: string[] = [];
  for (const grant of record.handles.assignments) {
    if (grant.status === 'SUCCEEDED') continue;
    const label = `${grant.group} → ${grant.permissionSet}`;
    const permissionSetArn = await deps.directory.permissionSetArn(grant.permissionSet);
    const groupId = await deps.directory.groupId(grant.group);
    if (!grant.requestId) {
      const existing = await ic.listAccountAssignments(instanceArn, accountId, permissionSetArn);
      if (existing.some((a) => a.principalType === 'GROUP' && a.principalId === groupId)) {
        grant.status = 'SUCCEEDED';
        await checkpoint();
        continue;
      }
      const started = await ic.startAccountAssignment({ instanceArn, accountId, permissionSetArn, groupId });
      grant.requestId = started.requestId;
      grant.status = 'IN_PROGRESS';
      await checkpoint();
    }
    const status = await ic.getAccountAssignmentStatus(instanceArn, grant.requestId);
    if (status.status === 'FAILED') {
      // Start afresh on retry: the failed request id only ever reports FAILED.
      delete grant.requestId;
      grant.status = 'PENDING';
      return fail(
        'ASSIGNMENT_FAILED',
        `assigning ${label} in ${accountId} failed: ${status.failureReason ?? 'no reason given'}; fix the cause in IAM Identity Center, then POST …/retry`,
      );
    }
    if (status.status === 'SUCCEEDED') grant.status = 'SUCCEEDED';
    else pending.push(label);
  }
  if (pending.length > 0) return wait(`assignments in progress: ${pending.join(', ')}`);
  const granted = record.handles.assignments.map((g) => `${g.group} → ${g.permissionSet}`);
  return done(granted.length > 0 ? `granted ${granted.join(', ')}` : 'no access requested');
};
