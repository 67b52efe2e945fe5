import { z } from 'zod';
import { normaliseEmail } from '../../domain/account-request';
import { StaleRecordError } from '../../domain/errors';
import type { OrgAccount } from '../../domain/ports/aws';
import type { DocumentStore } from '../../domain/ports/document-store';
import { readDocument, updateDocument, type DocumentKind } from '../coordination/document';

/**
 * The organisation's account e-mails, indexed in the store so the intake can refuse a used one
 * with one document read instead of walking ListAccounts (20 accounts a page) on every request.
 * One small document per e-mail, keyed by the normalised e-mail, so the index grows with the
 * organisation without any one document growing (DynamoDB items stop at 400 KB). Entries are
 * never removed: an e-mail stays taken in AWS after its account leaves or is closed.
 */
export const EMAIL_ENTRY_KIND = 'org-account-email';

const EmailEntrySchema = z.object({ accountId: z.string(), indexedAt: z.string() }).strict();

/** What one complete walk of ListAccounts found. */
const WalkSummarySchema = z
  .object({
    startedAt: z.string(),
    finishedAt: z.string(),
    pages: z.number().int().min(0),
    accounts: z.number().int().min(0),
    added: z.number().int().min(0),
  })
  .strict();
export type WalkSummary = z.infer<typeof WalkSummarySchema>;

/** The index's state: how many e-mails it holds and its last complete walk (none: never built). */
export const INDEX_STATE: DocumentKind<{ entries: number; lastWalk?: WalkSummary }> = {
  kind: 'org-account-index',
  schema: z.object({ entries: z.number().int().min(0), lastWalk: WalkSummarySchema.optional() }).strict(),
  empty: () => ({ entries: 0 }),
};
export const INDEX_STATE_ID = 'organisation';

export async function readIndexState(store: DocumentStore) {
  return (await readDocument(store, INDEX_STATE, INDEX_STATE_ID)).body;
}

/**
 * Whether an account of the organisation uses this e-mail, as of the index's last walk:
 * `not-built` until one walk has completed (the caller then asks AWS itself).
 */
export async function indexedEmail(
  store: DocumentStore,
  email: string,
): Promise<'used' | 'unused' | 'not-built'> {
  if (await store.getDocument(EMAIL_ENTRY_KIND, normaliseEmail(email))) return 'used';
  return (await readIndexState(store)).lastWalk ? 'unused' : 'not-built';
}

/** Writes the e-mails of these accounts that are not indexed yet; returns how many it wrote. */
export async function indexAccounts(
  store: DocumentStore,
  accounts: readonly OrgAccount[],
  now: Date,
): Promise<number> {
  const emails = new Map(accounts.filter((a) => a.email).map((a) => [normaliseEmail(a.email), a.id]));
  const written = await Promise.all(
    [...emails].map(async ([email, accountId]) => {
      if (await store.getDocument(EMAIL_ENTRY_KIND, email)) return false;
      const entry = EmailEntrySchema.parse({ accountId, indexedAt: now.toISOString() });
      try {
        await store.putDocument(EMAIL_ENTRY_KIND, email, entry, 0, now);
        return true;
      } catch (e) {
        // written meanwhile by another walker: indexed either way
        if (e instanceof StaleRecordError) return false;
        throw e;
      }
    }),
  );
  return written.filter(Boolean).length;
}

/** Records a complete walk: from now on the intake trusts the index. */
export async function recordWalk(store: DocumentStore, walk: WalkSummary, now: Date): Promise<number> {
  const entries = await store.countDocuments(EMAIL_ENTRY_KIND);
  await updateDocument(
    store,
    INDEX_STATE,
    INDEX_STATE_ID,
    () => now,
    (body) => {
      body.entries = entries;
      body.lastWalk = walk;
      return { write: true, result: undefined };
    },
  );
  return entries;
}
