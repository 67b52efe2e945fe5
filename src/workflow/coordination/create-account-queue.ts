import { z } from 'zod';
import { AvfError, StaleRecordError } from '../../domain/errors';
import type { DocumentStore } from '../../domain/ports/document-store';
import { queueKey, type QueueEntry } from './fair-queue';

/**
 * The requests waiting for a CreateAccount slot: one small document (a ticket) per request, its id
 * the queue's order (turn, arrival, request id), so the head of the queue is one short listing and
 * a place in it one count — never a read of the whole queue, however many thousands wait.
 */
const KIND = 'create-account-queue';

const TicketSchema = z.object({
  requestId: z.string(),
  team: z.string(),
  since: z.string(),
  turn: z.number().int().min(0),
});
export type Ticket = z.infer<typeof TicketSchema> & { key: string };

function ticketOf(doc: { id: string; body: unknown }): Ticket {
  const parsed = TicketSchema.safeParse(doc.body);
  if (!parsed.success)
    throw new AvfError('STORE_DOCUMENT_INVALID', `stored ticket ${KIND}/${doc.id} is not a ticket`);
  return { ...parsed.data, key: doc.id };
}

/** Puts a request's ticket in the queue; returns its key (already there is fine: same key). */
export async function putTicket(
  store: DocumentStore,
  entry: QueueEntry,
  turn: number,
  now: Date,
): Promise<Ticket> {
  const ticket = { requestId: entry.requestId, team: entry.team, since: entry.since, turn };
  const key = queueKey(turn, entry);
  try {
    await store.putDocument(KIND, key, ticket, 0, now);
  } catch (e) {
    if (!(e instanceof StaleRecordError)) throw e;
  }
  return { ...ticket, key };
}

/** The ticket stored under `key`, if it is still in the queue. */
export async function findTicket(store: DocumentStore, key: string): Promise<Ticket | undefined> {
  const doc = await store.getDocument(KIND, key);
  return doc ? ticketOf(doc) : undefined;
}

/**
 * The first `n` tickets in queue order, leaving out those in `skip` (just dropped), with `mine`
 * among them where it belongs (a listing may lag behind the writes).
 */
export async function headOfQueue(
  store: DocumentStore,
  n: number,
  mine?: Ticket,
  skip: ReadonlySet<string> = new Set(),
): Promise<Ticket[]> {
  if (n <= 0) return [];
  const listed = (await store.listDocuments(KIND, { limit: n + skip.size })).items
    .map(ticketOf)
    .filter((t) => !skip.has(t.key));
  if (mine && !listed.some((t) => t.key === mine.key)) listed.push(mine);
  return listed.sort((a, b) => (a.key < b.key ? -1 : 1)).slice(0, n);
}

/** Tickets in the queue, or (`before`) ahead of that key; with `atMost`, counted up to that many. */
export function countTickets(
  store: DocumentStore,
  { before, atMost }: { before?: string; atMost?: number } = {},
): Promise<number> {
  return store.countDocuments(KIND, {
    ...(before === undefined ? {} : { below: before }),
    ...(atMost === undefined ? {} : { limit: atMost }),
  });
}

/** Takes a ticket out of the queue; one already gone is fine. */
export async function dropTicket(store: DocumentStore, key: string): Promise<void> {
  const doc = await store.getDocument(KIND, key);
  if (!doc) return;
  try {
    await store.deleteDocument(KIND, key, doc.version);
  } catch (e) {
    if (!(e instanceof StaleRecordError)) throw e;
  }
}
