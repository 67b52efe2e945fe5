import { emulatorDeclared } from '../../config/emulator';
import type { LoadedConfig } from '../../config/load';
import type { AccountSpec } from '../../domain/account-request';
import type { AwsPorts } from '../../domain/ports/aws';
import type { OrgDirectory } from '../../domain/org-directory';

/** One Identity Center assignment on an account, as AWS lists it. */
export interface Assignment {
  permissionSetArn: string;
  principalId: string;
  principalType: string;
}

/** What listing needs: the verifier's context and the workflow's deps both have it. */
export interface AssignmentDeps {
  aws: AwsPorts;
  directory: OrgDirectory;
  config: LoadedConfig;
}

/** The ARNs of the config's permission sets that exist (a set bootstrap has not made yet is skipped). */
async function configuredSetArns(deps: AssignmentDeps): Promise<Map<string, string>> {
  const byArn = new Map<string, string>();
  for (const ps of deps.config.config.permissionSets) {
    const arn = await deps.directory.permissionSetArn(ps.name).catch(() => undefined);
    if (arn !== undefined) byArn.set(arn, ps.name);
  }
  return byArn;
}

/**
 * Every assignment on the account, groups and users, over every permission set provisioned to it
 * (sets made outside the factory included). AWS provisions a set to each account it is assigned
 * in, so those are the sets its assignments can be under. moto does not record that provisioning
 * (its list ignores the account), so on an emulator every set the config defines is listed too.
 * Returns the names of the permission sets seen, by ARN, for evidence.
 */
export async function accountAssignments(
  deps: AssignmentDeps,
  accountId: string,
  emulator: boolean = emulatorDeclared(),
): Promise<{ assignments: Assignment[]; setNames: Map<string, string> }> {
  const { instanceArn } = await deps.directory.identityCenter();
  const ic = deps.aws.identityCenter;
  const configured = await configuredSetArns(deps);
  const setNames = new Map(emulator ? configured : []);
  for (const arn of await ic.listPermissionSetsProvisionedToAccount(instanceArn, accountId)) {
    if (setNames.has(arn)) continue;
    setNames.set(
      arn,
      configured.get(arn) ?? ((await ic.describePermissionSet(instanceArn, arn)).name || arn),
    );
  }
  const assignments: Assignment[] = [];
  for (const permissionSetArn of setNames.keys()) {
    const listed = await ic.listAccountAssignments(instanceArn, accountId, permissionSetArn);
    assignments.push(...listed.map((a) => ({ permissionSetArn, ...a })));
  }
  return { assignments, setNames };
}

/** The assignments the request's access asks for, as AWS would list them. */
export async function requestedAssignments(
  deps: AssignmentDeps,
  access: AccountSpec['access'],
): Promise<Assignment[]> {
  const wanted: Assignment[] = [];
  for (const grant of access) {
    wanted.push({
      permissionSetArn: await deps.directory.permissionSetArn(grant.permissionSet),
      principalId: await deps.directory.groupId(grant.group),
      principalType: 'GROUP',
    });
  }
  return wanted;
}

export const sameAssignment = (a: Assignment, b: Assignment): boolean =>
  a.permissionSetArn === b.permissionSetArn &&
  a.principalId === b.principalId &&
  a.principalType === b.principalType;

/** The assignments on the account that the record does not hold. */
export async function unrequestedAssignments(
  deps: AssignmentDeps,
  accountId: string,
  access: AccountSpec['access'],
): Promise<Assignment[]> {
  const wanted = await requestedAssignments(deps, access);
  const { assignments } = await accountAssignments(deps, accountId);
  return assignments.filter((a) => !wanted.some((w) => sameAssignment(w, a)));
}
