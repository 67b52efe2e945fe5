import type { Control } from '../verifier';
import { accountAssignments, requestedAssignments, sameAssignment } from './account-assignments';

/**
 * IAM-5: the account's Identity Center assignments are exactly the ones the record holds (every
 * permission set, groups and users: an assignment made outside the factory fails), and every
 * requested (group, permission set) pair is one the config allows.
 */
export const accessControl: Control = {
  id: 'IAM-5',
  title: 'access only through allowed Identity Center permission sets',
  seeds: ['001', '002', '003', '004'],
  enforcedBy: 'IdC',
  settledBy: 'identity-center',
  async evaluate(ctx) {
    const { config } = ctx.config;
    const { access } = ctx.target.spec;
    const problems = access
      .filter((g) => !config.groups.find((c) => c.name === g.group)?.permissionSets.includes(g.permissionSet))
      .map((g) => `${g.group} may not receive ${g.permissionSet}`);
    const wanted = await requestedAssignments(ctx, access);
    const { assignments, setNames } = await accountAssignments(ctx, ctx.target.accountId);
    const groupNames = new Map(wanted.map((w, i) => [w.principalId, access[i]?.group ?? '']));
    const label = (a: (typeof assignments)[number]) =>
      `${a.principalType} ${groupNames.get(a.principalId) ?? a.principalId} → ${setNames.get(a.permissionSetArn) ?? a.permissionSetArn}`;
    access.forEach((g, i) => {
      const w = wanted[i];
      if (w && !assignments.some((a) => sameAssignment(a, w)))
        problems.push(`${g.group} → ${g.permissionSet} is not assigned`);
    });
    const extra = assignments.filter((a) => !wanted.some((w) => sameAssignment(w, a)));
    if (extra.length > 0) problems.push(`not requested: ${extra.map(label).join(', ')}`);
    const found = assignments.length > 0 ? assignments.map(label).join(', ') : 'none';
    return [
      problems.length === 0
        ? { status: 'PASS', evidence: `assigned (all listed): ${found}` }
        : { status: 'FAIL', evidence: `${problems.join('; ')} (assigned: ${found})` },
    ];
  },
};
