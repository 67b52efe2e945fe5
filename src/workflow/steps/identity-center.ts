import {
  releaseAssignmentSlots,
  reserveCalls,
  takeAssignmentSlot,
} from '../coordination/identity-center-quota';
import { accountIdOf, done, fail, wait, type Step } from '../step';

/** sso-admin calls a grant not yet started makes in one step: list, create (its status is checked later). */
const CALLS_PER_GRANT = 2;

/**
 * Grants each (group, permission set) of the request in the new account. Looks before it creates
 * (an existing assignment is success), persists each assignment request id, then polls it. Every
 * call stays inside Identity Center's organisation-wide quotas (worker.identityCenter): at most 10
 * assignments outstanding and 20 calls a second, all workers together.
 */
export const identityCenter: Step = async ({ deps, record, checkpoint }) => {
  const accountId = accountIdOf(record);
  const ic = deps.aws.identityCenter;
  const quota = deps.config.config.worker.identityCenter;
  record.handles.assignments ??= record.spec.access.map((a) => ({ ...a, status: 'PENDING' as const }));
  const open = record.handles.assignments.filter((g) => g.status !== 'SUCCEEDED');
  const turn = open.slice(0, Math.max(1, Math.floor(quota.callsPerSecond / CALLS_PER_GRANT)));
  const pending: string[] = open.slice(turn.length).map((g) => `${g.group} → ${g.permissionSet}`);
  if (turn.length > 0) {
    const calls = turn.reduce((n, g) => n + (g.requestId ? 1 : CALLS_PER_GRANT), 0);
    const waitMs = await reserveCalls(deps, calls);
    if (waitMs > 0)
      return wait(
        `Identity Center call rate reached (${quota.callsPerSecond}/s, all workers)`,
        waitMs / deps.config.config.worker.timeScale,
      );
  }
  const { instanceArn } = turn.length > 0 ? await deps.directory.identityCenter() : { instanceArn: '' };
  for (const grant of turn) {
    const label = `${grant.group} → ${grant.permissionSet}`;
    const slot = `${record.id}/${grant.group}/${grant.permissionSet}`;
    const permissionSetArn = await deps.directory.permissionSetArn(grant.permissionSet);
    const groupId = await deps.directory.groupId(grant.group);
    if (!grant.requestId) {
      // The slot first: a grant waiting for one makes no sso-admin call at all.
      if (!(await takeAssignmentSlot(deps, record.id, slot))) {
        pending.push(
          `${label} (waiting for one of ${quota.maxOutstandingAssignments} outstanding assignment slots)`,
        );
        continue;
      }
      const existing = await ic.listAccountAssignments(instanceArn, accountId, permissionSetArn);
      if (existing.some((a) => a.principalType === 'GROUP' && a.principalId === groupId)) {
        grant.status = 'SUCCEEDED';
        await releaseAssignmentSlots(deps, record.id, [slot]);
        await checkpoint();
        continue;
      }
      const started = await ic.startAccountAssignment({ instanceArn, accountId, permissionSetArn, groupId });
      grant.requestId = started.requestId;
      grant.status = 'IN_PROGRESS';
      await checkpoint();
      // Checked when assignments usually finish (backoff: the operation polling policy), not now;
      // run ahead, the polling is the phase it waits in's own.
      if (record.phase === 'identity-center') record.attempts = 0;
      pending.push(label);
      continue;
    }
    const status = await ic.getAccountAssignmentStatus(instanceArn, grant.requestId);
    if (status.status === 'FAILED') {
      // Start afresh on retry: the failed request id only ever reports FAILED.
      delete grant.requestId;
      grant.status = 'PENDING';
      await releaseAssignmentSlots(deps, record.id, [slot]);
      return fail(
        'ASSIGNMENT_FAILED',
        `assigning ${label} in ${accountId} failed: ${status.failureReason ?? 'no reason given'}; fix the cause in IAM Identity Center, then POST …/retry`,
      );
    }
    if (status.status === 'SUCCEEDED') {
      grant.status = 'SUCCEEDED';
      await releaseAssignmentSlots(deps, record.id, [slot]);
    } else pending.push(label);
  }
  if (pending.length > 0) return wait(`assignments in progress: ${pending.join(', ')}`);
  const granted = record.handles.assignments.map((g) => `${g.group} → ${g.permissionSet}`);
  return done(granted.length > 0 ? `granted ${granted.join(', ')}` : 'no access requested');
};
