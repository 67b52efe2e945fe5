import { AccountCostsSchema, costsKind, roundUsd, type AccountCosts } from '../../domain/costs';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { Page } from '../../domain/ports/request-store';
import { readDocument, updateDocument, type DocumentKind } from '../coordination/document';

/** The document kind of one month's account costs. */
export function accountCostsKind(month: string): DocumentKind<AccountCosts> {
  return {
    kind: costsKind(month),
    schema: AccountCostsSchema,
    empty: () => AccountCostsSchema.parse({ accountId: '', month }),
  };
}

/** Month-to-date from the daily figures. */
export const sumDays = (days: Record<string, number>): number =>
  roundUsd(Object.values(days).reduce((a, b) => a + b, 0));

/** Read-modify-write of one account's month; `change` may mutate the document. */
export async function updateAccountCosts(
  store: DocumentStore,
  month: string,
  accountId: string,
  now: () => Date,
  change: (costs: AccountCosts) => void,
): Promise<AccountCosts> {
  return updateDocument(store, accountCostsKind(month), accountId, now, (costs) => {
    costs.accountId = accountId;
    costs.month = month;
    change(costs);
    return { write: true, result: costs };
  });
}

export async function readAccountCosts(
  store: DocumentStore,
  month: string,
  accountId: string,
): Promise<AccountCosts | undefined> {
  const { body, version } = await readDocument(store, accountCostsKind(month), accountId);
  return version === 0 ? undefined : body;
}

/** One page of a month's account documents, ascending by account id. */
export async function listAccountCosts(
  store: DocumentStore,
  month: string,
  query: { cursor?: string; limit: number },
): Promise<Page<AccountCosts>> {
  const page = await store.listDocuments(costsKind(month), query);
  return {
    items: page.items.map((d) => AccountCostsSchema.parse(d.body)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/** Every account document of a month. */
export async function allAccountCosts(store: DocumentStore, month: string): Promise<AccountCosts[]> {
  const all: AccountCosts[] = [];
  let cursor: string | undefined;
  do {
    const page = await listAccountCosts(store, month, { limit: 500, ...(cursor ? { cursor } : {}) });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
