import type { RequestRecord } from '../../domain/account-request';
import type { Page, RequestStore } from '../../domain/ports/request-store';
import { canSeeTeam, type Principal } from '../../domain/principal';
import { versionOf } from '../rollout/baseline-registry';

export const COMPLIANCE_FILTERS = ['compliant', 'non-compliant', 'unverified'] as const;

export interface AccountQuery {
  ou?: string;
  team?: string;
  costCenter?: string;
  /** A baseline version, or `unrecorded` for accounts vended before versions were recorded. */
  baselineVersion?: string;
  compliance?: (typeof COMPLIANCE_FILTERS)[number];
  cursor?: string;
  limit: number;
}

/** Store pages scanned per call at most; the cursor continues where the scan stopped. */
const MAX_PAGES = 20;

function compliance(record: RequestRecord): AccountQuery['compliance'] {
  const v = record.lastVerification;
  if (!v) return 'unverified';
  return v.blocking.length === 0 ? 'compliant' : 'non-compliant';
}

function matches(record: RequestRecord, q: AccountQuery): boolean {
  return (
    (q.ou === undefined || record.spec.organizationalUnit === q.ou) &&
    (q.costCenter === undefined || record.spec.costCenter === q.costCenter) &&
    (q.baselineVersion === undefined || versionOf(record) === q.baselineVersion) &&
    (q.compliance === undefined || compliance(record) === q.compliance)
  );
}

/**
 * The vended accounts (READY requests) the principal may see, filtered, page by page over the
 * store: a page may hold fewer than `limit` items and still have a `nextCursor`.
 */
export async function listAccounts(
  store: RequestStore,
  principal: Principal,
  query: AccountQuery,
): Promise<Page<RequestRecord & { accountId: string }>> {
  const team = principal.role === 'requester' ? principal.team : query.team;
  const items: Array<RequestRecord & { accountId: string }> = [];
  let cursor = query.cursor;
  for (let page = 0; page < MAX_PAGES && items.length < query.limit; page++) {
    const result = await store.list({
      status: 'READY',
      limit: query.limit,
      ...(team ? { team } : {}),
      ...(cursor ? { cursor } : {}),
    });
    for (const r of result.items) {
      if (r.accountId && canSeeTeam(principal, r.team) && matches(r, query))
        items.push({ ...r, accountId: r.accountId });
    }
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return { items, ...(cursor ? { nextCursor: cursor } : {}) };
}
