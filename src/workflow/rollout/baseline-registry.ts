import type { LoadedConfig } from '../../config/load';
import type { RequestRecord } from '../../domain/account-request';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { RequestStore } from '../../domain/ports/request-store';
import { StaleRecordError } from '../../domain/errors';
import { readDocument, type DocumentKind } from '../coordination/document';
import { BaselinePartsSchema, baselineVersionOf, type BaselineParts } from './baseline-version';

/** The parts of every baseline version the factory has run with, so versions can be compared. */
const BASELINE_KIND: DocumentKind<BaselineParts | undefined> = {
  kind: 'baseline-version',
  schema: BaselinePartsSchema.optional(),
  empty: () => undefined,
};

/** The version accounts vended before versions were recorded are counted under. */
export const UNRECORDED = 'unrecorded';

/** Remembers the config's baseline version (write-once) and returns it. */
export async function registerCurrentBaseline(store: DocumentStore, loaded: LoadedConfig, now: () => Date) {
  const current = baselineVersionOf(loaded);
  if (!(await store.getDocument(BASELINE_KIND.kind, current.version))) {
    try {
      await store.putDocument(BASELINE_KIND.kind, current.version, current.parts, 0, now());
    } catch (e) {
      // Another process registered it first: the same content.
      if (!(e instanceof StaleRecordError)) throw e;
    }
  }
  return current;
}

export async function baselineParts(
  store: DocumentStore,
  version: string,
): Promise<BaselineParts | undefined> {
  return (await readDocument(store, BASELINE_KIND, version)).body;
}

const PAGE = 100;

/** Every READY vended account, page by page (never the whole store at once). */
export async function forEachReadyAccount(
  store: RequestStore,
  visit: (record: RequestRecord & { accountId: string }) => void | Promise<void>,
): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await store.list({ status: 'READY', limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const record of page.items)
      if (record.accountId) await visit({ ...record, accountId: record.accountId });
    cursor = page.nextCursor;
  } while (cursor);
}

export const versionOf = (record: RequestRecord): string => record.baseline?.version ?? UNRECORDED;

/** READY accounts per baseline version. */
export async function countAccountsByVersion(store: RequestStore): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await forEachReadyAccount(store, (r) => {
    counts[versionOf(r)] = (counts[versionOf(r)] ?? 0) + 1;
  });
  return counts;
}
