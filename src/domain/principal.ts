import type { RequestRecord } from './account-request';
import { ForbiddenError, NotFoundError } from './errors';
import type { RequestStore, Role } from './ports/request-store';

/** Who is acting: resolved from an API token (or the CLI's own credentials). */
export interface Principal {
  role: Role;
  /** Set for `requester` tokens: the only team they act for. */
  team?: string;
  /** The token's name, recorded as `createdBy` and in the audit log. */
  name: string;
  /** A stable id of the credential (the token's sha256): scopes Idempotency-Keys and rate limits. */
  id?: string;
}

/** Throws ForbiddenError unless the principal has one of `roles`. */
export function requireRole(principal: Principal, roles: readonly Role[], action: string): void {
  if (!roles.includes(principal.role)) {
    throw new ForbiddenError(`a ${principal.role} token may not ${action} (allowed: ${roles.join(', ')})`);
  }
}

/** Requesters see only their own team; every other role sees every team. */
export function canSeeTeam(principal: Principal, team: string): boolean {
  return principal.role !== 'requester' || principal.team === team;
}

/**
 * Loads a request the principal may see. Another team's request is reported as not found, so a
 * requester cannot learn which ids exist.
 */
export async function loadVisibleRequest(
  store: RequestStore,
  principal: Principal,
  id: string,
): Promise<RequestRecord> {
  const record = await store.get(id);
  if (!record || !canSeeTeam(principal, record.team)) throw new NotFoundError(`account request ${id}`);
  return record;
}
