import type { RequestRecord } from '../../domain/account-request';
import type { Page, RequestStore } from '../../domain/ports/request-store';

export type ManagedAccount = RequestRecord & { accountId: string };

const PAGE = 100;

/**
 * One page of the vended accounts (READY requests with an account), newest first, from `cursor`
 * (a store cursor of READY requests; none: the first page).
 */
export async function managedAccountPage(
  store: RequestStore,
  cursor: string | undefined,
  limit = PAGE,
): Promise<Page<ManagedAccount>> {
  const page = await store.list({ status: 'READY', limit, ...(cursor ? { cursor } : {}) });
  const items = page.items.flatMap((r) => (r.accountId ? [{ ...r, accountId: r.accountId }] : []));
  return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

/** Every vended account, a page at a time: for walks that need not hold them all at once. */
export async function* eachManagedAccount(store: RequestStore): AsyncGenerator<ManagedAccount> {
  let cursor: string | undefined;
  do {
    const page = await managedAccountPage(store, cursor);
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/** Every vended account, for the collector's joins. */
export async function managedAccounts(store: RequestStore): Promise<ManagedAccount[]> {
  const all: ManagedAccount[] = [];
  for await (const account of eachManagedAccount(store)) all.push(account);
  return all;
}

/** The vended account `accountId`, if a READY request has it: one indexed read. */
export async function findManagedAccount(
  store: RequestStore,
  accountId: string,
): Promise<ManagedAccount | undefined> {
  const r = await store.findByAccountId(accountId);
  return r?.status === 'READY' && r.accountId ? { ...r, accountId: r.accountId } : undefined;
}

/** How many accounts are vended (every READY request has its account): an index count, no record read. */
export function countManagedAccounts(store: RequestStore): Promise<number> {
  return store.countByStatus('READY');
}
