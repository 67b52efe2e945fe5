import type { Control } from '../verifier';

/**
 * IAM-5: the account's Identity Center assignments are the ones requested, and every assigned
 * (group, permission set) pair is one the config allows.
 */
export const accessControl: Control = {
  id: 'IAM-5',
  title: 'access only through allowed Identity Center permission sets',
  seeds: ['001', '002', '003', '004'],
  enforcedBy: 'IdC',
  async evaluate(ctx) {
    const { instanceArn } = await ctx.directory.identityCenter();
    const { config } = ctx.config;
    const evidence: string[] = [];
    const problems: string[] = [];
    for (const grant of ctx.target.spec.access) {
      const allowed = config.groups
        .find((g) => g.name === grant.group)
        ?.permissionSets.includes(grant.permissionSet);
      if (!allowed) problems.push(`${grant.group} may not receive ${grant.permissionSet}`);
      const psArn = await ctx.directory.permissionSetArn(grant.permissionSet);
      const groupId = await ctx.directory.groupId(grant.group);
      const assigned = await ctx.aws.identityCenter.listAccountAssignments(
        instanceArn,
        ctx.target.accountId,
        psArn,
      );
      const groups = assigned.filter((a) => a.principalType === 'GROUP').map((a) => a.principalId);
      if (groups.includes(groupId)) evidence.push(`${grant.group} → ${grant.permissionSet}`);
      else problems.push(`${grant.group} → ${grant.permissionSet} is not assigned`);
    }
    return [
      problems.length === 0
        ? {
            status: 'PASS',
            evidence: evidence.length > 0 ? `assigned: ${evidence.join(', ')}` : 'no access requested',
          }
        : { status: 'FAIL', evidence: problems.join('; ') },
    ];
  },
};
