import type { RequestRecord, RequestStatus } from '../../domain/account-request';
import { ForbiddenError } from '../../domain/errors';
import type { Page, RequestStore } from '../../domain/ports/request-store';
import { loadVisibleRequest, type Principal } from '../../domain/principal';

/** One request, if the principal may see it; another team's request is a NotFoundError. */
export function getAccountRequest(
  store: RequestStore,
  principal: Principal,
  id: string,
): Promise<RequestRecord> {
  return loadVisibleRequest(store, principal, id);
}

export interface RequestFilter {
  status?: RequestStatus;
  team?: string;
  cursor?: string;
  limit: number;
}

/**
 * A page of requests, newest first. A requester lists only its own team: asking for another team
 * is a ForbiddenError rather than a silently different answer.
 */
export function listAccountRequests(
  store: RequestStore,
  principal: Principal,
  filter: RequestFilter,
): Promise<Page<RequestRecord>> {
  if (principal.role !== 'requester') return store.list(filter);
  if (principal.team === undefined || (filter.team !== undefined && filter.team !== principal.team)) {
    return Promise.reject(new ForbiddenError(`this token may list team ${principal.team ?? '(none)'} only`));
  }
  return store.list({ ...filter, team: principal.team });
}
