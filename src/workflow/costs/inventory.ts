import type { RequestRecord } from '../../domain/account-request';
import type { RequestStore } from '../../domain/ports/request-store';

export type ManagedAccount = RequestRecord & { accountId: string };

/** Every vended account (READY requests with an account), for the collector's joins. */
export async function managedAccounts(store: RequestStore): Promise<ManagedAccount[]> {
  const all: ManagedAccount[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ status: 'READY', limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.items) if (r.accountId) all.push({ ...r, accountId: r.accountId });
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
