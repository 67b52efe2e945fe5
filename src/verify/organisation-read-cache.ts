import type { AwsPorts, OrganizationsPort, StackSetsPort } from '../domain/ports/aws';
import type { CostExplorerPort } from '../domain/ports/costs';
import { overlay } from '../domain/ports/overlay';

/** What the cache needs of time. */
interface Clock {
  now(): Date;
}

/** Organisation-level reads the cache may answer (read-only port methods). */
const ORG_SERVICE_READS = /^(get|list|find|describe)/;

/**
 * The AWS ports as verification reads them: organisation-level facts are read once per `ttlMs` and
 * shared by every verification in that time, while each account's own facts are always read anew.
 * - kept for good: the root's id and an OU's parent (AWS Organizations cannot move an OU);
 * - kept for `ttlMs`: the policies attached to the root and to OUs, policy documents, the
 *   organisation services' state (trail, GuardDuty, Security Hub, Access Analyzer, log bucket),
 *   the payer's cost allocation tags, and a StackSet operation's instances (every account of a
 *   vend's batch shares its operation);
 * - never kept: anything about an account (its parent, its own policies, tags, settings), and a
 *   failed read.
 * Without it, every account's verification re-reads the same organisation facts (about 60 of its
 * ~100 Organizations calls) and many verifications at once exhaust Organizations' shared rate.
 * A drift in an organisation fact is seen at most `ttlMs` late; `ttlMs` 0 turns the cache off.
 */
export function withOrganisationReadCache(aws: AwsPorts, clock: Clock, ttlMs: number): AwsPorts {
  if (ttlMs <= 0) return aws;
  const entries = new Map<string, Entry>();

  function cached<T>(key: string, forever: boolean, read: () => Promise<T>): Promise<T> {
    const hit = entries.get(key);
    if (hit && hit.until > clock.now().getTime()) return hit.value as Promise<T>;
    const value = read();
    entries.set(key, { until: forever ? Infinity : clock.now().getTime() + ttlMs, value });
    value.catch(() => entries.delete(key));
    return value;
  }

  const isOrgLevel = (targetId: string) => targetId.startsWith('ou-') || targetId.startsWith('r-');
  const orgs = aws.organizations;
  const organizations = overlay<OrganizationsPort>(orgs, {
    getRoot: () => cached('root', true, () => orgs.getRoot()),
    getParentId: (childId: string) =>
      childId.startsWith('ou-')
        ? cached(`parent:${childId}`, true, () => orgs.getParentId(childId))
        : orgs.getParentId(childId),
    listPoliciesForTarget: (
      targetId: string,
      type: Parameters<OrganizationsPort['listPoliciesForTarget']>[1],
    ) =>
      isOrgLevel(targetId)
        ? cached(`policies:${targetId}:${type}`, false, () => orgs.listPoliciesForTarget(targetId, type))
        : orgs.listPoliciesForTarget(targetId, type),
    describePolicy: (policyId: string) =>
      cached(`policy:${policyId}`, false, () => orgs.describePolicy(policyId)),
  });

  const services = aws.orgServices;
  const orgServices = new Proxy(services, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof prop !== 'string' || typeof value !== 'function' || !ORG_SERVICE_READS.test(prop))
        return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) =>
        cached(`${prop}:${JSON.stringify(args)}`, false, () => method.apply(target, args));
    },
  });

  const ce = aws.costExplorer;
  const costExplorer = ce
    ? overlay<CostExplorerPort>(ce, {
        costAllocationTags: (keys: string[]) =>
          cached(`cost-allocation-tags:${JSON.stringify(keys)}`, false, () => ce.costAllocationTags(keys)),
      })
    : undefined;

  const sets = aws.stackSets;
  const stackSets = overlay<StackSetsPort>(sets, {
    listStackInstancesOfOperation: (stackSetName: string, operationId: string) =>
      cached(`operation-instances:${stackSetName}:${operationId}`, false, () =>
        sets.listStackInstancesOfOperation(stackSetName, operationId),
      ),
  });

  return { ...aws, organizations, orgServices, stackSets, ...(costExplorer ? { costExplorer } : {}) };
}

interface Entry {
  until: number;
  value: Promise<unknown>;
}
