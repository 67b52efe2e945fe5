import { createHash } from 'node:crypto';
import type { Problem } from '../domain/errors';
import { contentOperationId } from '../domain/operation-id';
import type { PermissionSetDefinition, StackSetDefinition } from '../domain/ports/aws';
import { targetLabel, type BootstrapAction, type OuPath } from './actions';
import type { DesiredFoundation } from './desired';
import { diffFinance } from './finance';
import { policyKey, type ActualFoundation } from './observe';
import { diffOrgServices } from './org-services';
import { canonicalDocument, scpCountProblems } from './policy-rules';

/**
 * The pure part of bootstrap: what must change to turn `actual` into `desired`, in an order that
 * works (organisation, policy types, trusted access, OUs parents first, policies, attachments,
 * accounts, Identity Center, StackSets, the organisation's security services). Equal states give
 * no actions.
 */
export function diffFoundation(
  desired: DesiredFoundation,
  actual: ActualFoundation,
  ports: { costExplorer: boolean; executionRoles: boolean } = { costExplorer: true, executionRoles: true },
): BootstrapAction[] {
  return [
    ...(actual.organization
      ? []
      : [{ kind: 'create-organization' as const, description: 'create the organisation (all features)' }]),
    ...desired.policyTypes
      .filter((t) => !actual.enabledPolicyTypes.includes(t))
      .map((policyType) => ({
        kind: 'enable-policy-type' as const,
        policyType,
        description: `enable ${policyType} on the root`,
      })),
    ...desired.servicePrincipals
      .filter((p) => !actual.servicePrincipals.includes(p))
      .map((servicePrincipal) => ({
        kind: 'enable-service-access' as const,
        servicePrincipal,
        description: `enable trusted access for ${servicePrincipal}`,
      })),
    ...desired.ouPaths
      .filter((path) => actual.ous[path] === undefined)
      .map((path) => ({ kind: 'create-ou' as const, path, description: `create OU ${path}` })),
    ...policyActions(desired, actual),
    ...desired.attachments
      .filter(
        (a) => !(actual.attachments[a.target] ?? []).some((x) => x.name === a.name && x.type === a.type),
      )
      .map(({ name, type, target }) => ({
        kind: 'attach-policy' as const,
        name,
        policyType: type,
        target,
        description: `attach ${name} to ${targetLabel(target)}`,
      })),
    ...accountActions(desired, actual),
    ...permissionSetActions(desired, actual),
    ...desired.groups
      .filter((g) => !actual.groups.includes(g))
      .map((groupName) => ({
        kind: 'create-group' as const,
        groupName,
        description: `create Identity Center group ${groupName}`,
      })),
    ...stackSetActions(desired, actual),
    ...diffOrgServices(desired.regions, desired.homeRegion, actual.orgServices),
    ...diffFinance(desired.finance, actual.finance, ports),
  ];
}

/** SCP quotas the plan would break, counted against what is attached now. */
export function planProblems(desired: DesiredFoundation, actual: ActualFoundation): Problem[] {
  const targets = new Map<OuPath, { field: string; desired: string[] }>();
  for (const a of desired.attachments.filter((x) => x.type === 'SERVICE_CONTROL_POLICY')) {
    const t = targets.get(a.target) ?? { field: a.field, desired: [] };
    t.desired.push(a.name);
    targets.set(a.target, t);
  }
  return scpCountProblems(
    [...targets].map(([target, t]) => ({
      target,
      field: t.field,
      desired: t.desired,
      attached: (actual.attachments[target] ?? [])
        .filter((x) => x.type === 'SERVICE_CONTROL_POLICY')
        .map((x) => x.name),
    })),
  );
}

function policyActions(desired: DesiredFoundation, actual: ActualFoundation): BootstrapAction[] {
  return desired.policies.flatMap((p): BootstrapAction[] => {
    const found = actual.policies[policyKey(p.type, p.name)];
    const fields = {
      name: p.name,
      policyType: p.type,
      policyDescription: p.description,
      content: p.content,
      file: p.file,
    };
    if (!found)
      return [{ kind: 'create-policy', ...fields, description: `create policy ${p.name} from ${p.file}` }];
    const changed = [
      ...(canonicalDocument(found.content) === canonicalDocument(p.content) ? [] : ['document']),
      ...(found.description === p.description ? [] : ['description']),
    ];
    return changed.length === 0
      ? []
      : [
          {
            kind: 'update-policy',
            ...fields,
            description: `update policy ${p.name} (${changed.join(', ')}) from ${p.file}`,
          },
        ];
  });
}

function accountActions(desired: DesiredFoundation, actual: ActualFoundation): BootstrapAction[] {
  return desired.accounts.flatMap((a): BootstrapAction[] => {
    const found = actual.accounts[a.key];
    if (found?.id === undefined) {
      const waiting = found?.pendingRequestId;
      return [
        {
          kind: 'create-account',
          account: a.key,
          accountName: a.name,
          email: a.email,
          ouPath: a.ouPath,
          ...(waiting === undefined ? {} : { requestId: waiting }),
          description: `${waiting === undefined ? 'create' : 'wait for the creation of'} account ${a.name} <${a.email}> in OU ${a.ouPath}`,
        },
      ];
    }
    if (found.parentId !== undefined && found.parentId === actual.ous[a.ouPath]) return [];
    return [
      {
        kind: 'move-account',
        account: a.key,
        accountId: found.id,
        sourceParentId: found.parentId ?? '',
        ouPath: a.ouPath,
        description: `move account ${a.name} (${found.id}) to OU ${a.ouPath}`,
      },
    ];
  });
}

const sameSet = (a: string[], b: string[]): boolean => [...a].sort().join('\n') === [...b].sort().join('\n');

function permissionSetChanges(want: PermissionSetDefinition, have: PermissionSetDefinition): string[] {
  return [
    ...(want.description === have.description ? [] : ['description']),
    ...(want.sessionDuration === have.sessionDuration ? [] : ['session duration']),
    ...(sameSet(want.managedPolicies, have.managedPolicies) ? [] : ['managed policies']),
    ...(canonicalDocument(want.inlinePolicy ?? '') === canonicalDocument(have.inlinePolicy ?? '')
      ? []
      : ['inline policy']),
  ];
}

function permissionSetActions(desired: DesiredFoundation, actual: ActualFoundation): BootstrapAction[] {
  return desired.permissionSets.flatMap((permissionSet): BootstrapAction[] => {
    const found = actual.permissionSets[permissionSet.name];
    if (!found) {
      return [
        {
          kind: 'create-permission-set',
          permissionSet,
          description: `create permission set ${permissionSet.name}`,
        },
      ];
    }
    const changed = permissionSetChanges(permissionSet, found.definition);
    return changed.length === 0
      ? []
      : [
          {
            kind: 'update-permission-set',
            permissionSet,
            description: `update permission set ${permissionSet.name} (${changed.join(', ')})`,
          },
        ];
  });
}

/**
 * Capabilities are not compared: they acknowledge what the template needs rather than change what
 * is deployed (and moto does not echo them); every update sends the configured ones.
 */
function stackSetChanges(want: StackSetDefinition, have: StackSetDefinition): string[] {
  return [
    ...(want.templateBody === have.templateBody ? [] : ['template']),
    // Only the parameters bootstrap sets: AWS may echo template defaults it was not given.
    ...(Object.entries(want.parameters).every(([k, v]) => have.parameters[k] === v) ? [] : ['parameters']),
    ...(want.description === have.description ? [] : ['description']),
  ];
}

/** Deterministic: re-running after a crash re-sends the same id, which AWS treats as the same operation. */
export function stackSetOperationId(def: StackSetDefinition): string {
  const hash = createHash('sha256').update(JSON.stringify(def)).digest('hex').slice(0, 24);
  return contentOperationId(hash);
}

function stackSetActions(desired: DesiredFoundation, actual: ActualFoundation): BootstrapAction[] {
  return desired.stackSets.flatMap((stackSet): BootstrapAction[] => {
    const found = actual.stackSets[stackSet.name];
    if (!found)
      return [{ kind: 'create-stack-set', stackSet, description: `create StackSet ${stackSet.name}` }];
    const changed = stackSetChanges(stackSet, found);
    return changed.length === 0
      ? []
      : [
          {
            kind: 'update-stack-set',
            stackSet,
            operationId: stackSetOperationId(stackSet),
            description: `update StackSet ${stackSet.name} (${changed.join(', ')})`,
          },
        ];
  });
}
