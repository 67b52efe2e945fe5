import type {
  AwsPorts,
  IdentityCenterInstance,
  PermissionSetDefinition,
  PolicyType,
  StackSetDefinition,
} from '../domain/ports/aws';
import type { FoundationAccountKey, OuPath } from './actions';
import type { DesiredFoundation } from './desired';
import { observeFinance, roleContext, type ActualFinance } from './finance';
import { emptyOrgServices, observeOrgServices, type ActualOrgServices } from './org-services';
import { orgContext } from './org-services-run';

export const policyKey = (type: PolicyType, name: string): string => `${type}:${name}`;

export interface ActualAccount {
  id?: string;
  /** Where the account is now: its parent id. */
  parentId?: string;
  /** A CreateAccount request for this name still in progress. */
  pendingRequestId?: string;
}

/** What exists in AWS now, read only as far as the desired foundation reaches. */
export interface ActualFoundation {
  organization: boolean;
  rootId?: string;
  enabledPolicyTypes: PolicyType[];
  servicePrincipals: string[];
  /** Existing OUs of the config's tree: path → id. */
  ous: Record<OuPath, string>;
  /** policyKey(type, name) → the policy */
  policies: Record<string, { id: string; description: string; content: string }>;
  /** target path → attached policies by type ('' is the root) */
  attachments: Record<OuPath, Array<{ name: string; type: PolicyType }>>;
  accounts: Partial<Record<FoundationAccountKey, ActualAccount>>;
  identityCenter?: IdentityCenterInstance;
  permissionSets: Record<string, { arn: string; definition: PermissionSetDefinition }>;
  groups: string[];
  stackSets: Record<string, StackSetDefinition>;
  orgServices: ActualOrgServices;
  finance: ActualFinance;
}

/** No organisation and nothing in it: a fresh account. */
export function emptyFoundation(): ActualFoundation {
  return {
    organization: false,
    enabledPolicyTypes: [],
    servicePrincipals: [],
    ous: {},
    policies: {},
    attachments: {},
    accounts: {},
    permissionSets: {},
    groups: [],
    stackSets: {},
    orgServices: emptyOrgServices(),
    finance: { tags: {}, gaps: [] },
  };
}

/** Reads the live state bootstrap compares against. Reads only: never changes AWS. */
export async function observeFoundation(
  ports: AwsPorts,
  desired: DesiredFoundation,
  options: { emulator: boolean },
): Promise<ActualFoundation> {
  const actual = emptyFoundation();
  if (await ports.organizations.describeOrganization()) {
    await observeOrganization(ports, desired, actual);
    const context = await orgContext(ports, desired.homeRegion, (key) => actual.accounts[key]?.id);
    actual.orgServices = await observeOrgServices(ports, context, desired.regions, options.emulator);
  }
  await observeIdentityCenter(ports, desired, actual);
  for (const s of desired.stackSets) {
    const found = await ports.stackSets.describeStackSet(s.name);
    if (found) {
      const { name, description, templateBody, parameters, capabilities } = found;
      actual.stackSets[s.name] = { name, description, templateBody, parameters, capabilities };
    }
  }
  const freezePolicy = desired.finance.role?.freezePolicy ?? '';
  actual.finance = await observeFinance(
    ports,
    desired.finance,
    () =>
      roleContext(
        ports,
        desired.homeRegion,
        actual.policies[policyKey('SERVICE_CONTROL_POLICY', freezePolicy)]?.id,
      ),
    options,
  );
  return actual;
}

async function observeOrganization(
  ports: AwsPorts,
  desired: DesiredFoundation,
  actual: ActualFoundation,
): Promise<void> {
  const org = ports.organizations;
  actual.organization = true;
  const root = await org.getRoot();
  actual.rootId = root.id;
  actual.enabledPolicyTypes = root.enabledPolicyTypes;
  actual.servicePrincipals = await org.listAwsServiceAccess();

  const children = new Map<string, Array<{ id: string; name: string }>>();
  const idOf = (path: OuPath): string | undefined => (path === '' ? root.id : actual.ous[path]);
  for (const path of desired.ouPaths) {
    const parentId = idOf(path.split('/').slice(0, -1).join('/'));
    if (parentId === undefined) continue;
    if (!children.has(parentId)) children.set(parentId, await org.listOrganizationalUnits(parentId));
    const name = path.split('/').pop();
    const found = children.get(parentId)?.find((c) => c.name === name);
    if (found) actual.ous[path] = found.id;
  }

  for (const type of desired.policyTypes) {
    const existing = await org.listPolicies(type);
    for (const p of desired.policies.filter((d) => d.type === type)) {
      const found = existing.find((e) => e.name === p.name);
      if (!found) continue;
      const { description, content } = await org.describePolicy(found.id);
      actual.policies[policyKey(type, p.name)] = { id: found.id, description, content };
    }
  }

  const targets = new Map<OuPath, Set<PolicyType>>();
  for (const a of desired.attachments)
    targets.set(a.target, (targets.get(a.target) ?? new Set()).add(a.type));
  for (const [target, types] of targets) {
    const id = idOf(target);
    if (id === undefined) continue;
    for (const type of types) {
      const attached = await org.listPoliciesForTarget(id, type);
      actual.attachments[target] = [
        ...(actual.attachments[target] ?? []),
        ...attached.map((p) => ({ name: p.name, type })),
      ];
    }
  }

  for (const account of desired.accounts) {
    const found = await org.findAccountByEmail(account.email);
    if (found) {
      actual.accounts[account.key] = { id: found.id, parentId: await org.getParentId(found.id) };
      continue;
    }
    const pending = (await org.listCreateAccountStatusesByName(account.name)).find(
      (s) => s.state === 'IN_PROGRESS',
    );
    if (pending) actual.accounts[account.key] = { pendingRequestId: pending.requestId };
  }
}

async function observeIdentityCenter(
  ports: AwsPorts,
  desired: DesiredFoundation,
  actual: ActualFoundation,
): Promise<void> {
  if (desired.permissionSets.length === 0 && desired.groups.length === 0) return;
  const ic = ports.identityCenter;
  const instance = await ic.getInstance();
  actual.identityCenter = instance;
  for (const ps of desired.permissionSets) {
    const arn = await ic.findPermissionSetArn(instance.instanceArn, ps.name);
    if (arn)
      actual.permissionSets[ps.name] = {
        arn,
        definition: await ic.describePermissionSet(instance.instanceArn, arn),
      };
  }
  for (const group of desired.groups) {
    if (await ic.findGroupId(instance.identityStoreId, group)) actual.groups.push(group);
  }
}
