import { z } from 'zod';
import type { QueuePosition, RequestRecord } from '../../domain/account-request';
import type { WorkflowDeps } from '../step';
import type { DocumentStore } from '../../domain/ports/document-store';
import { readDocument, updateDocument, type DocumentKind } from './document';
import { fairOrder, type QueueEntry } from './fair-queue';
import { wakeRequest } from '../request-writes';
import { expectedHereMs } from '../backoff';

const EntrySchema = z.object({ requestId: z.string(), team: z.string(), since: z.string() });
const SlotsSchema = z.object({
  /** Requests holding a slot: granted, CreateAccount about to be called or in progress. */
  holders: z.array(EntrySchema),
  /** Requests waiting for a slot, served in fair order. */
  waiting: z.array(EntrySchema),
});
type Slots = z.infer<typeof SlotsSchema>;

/** The organisation's CreateAccount slots (AWS allows 5 in progress), shared by every worker. */
export const CREATE_ACCOUNT_SLOTS: DocumentKind<Slots> = {
  kind: 'limiter',
  schema: SlotsSchema,
  empty: () => ({ holders: [], waiting: [] }),
};
const ID = 'create-account';

/**
 * When the last account now in the CreateAccount pipeline should exist: each holder's CreateAccount
 * ends about one usual duration after its grant, and the requests waiting follow in rounds of the
 * slots. Undefined when no request holds or waits for a slot.
 */
export async function lastAccountExpectedAt(deps: WorkflowDeps, now: Date): Promise<Date | undefined> {
  const { holders, waiting } = (await readDocument(deps.store, CREATE_ACCOUNT_SLOTS, ID)).body;
  if (holders.length === 0 && waiting.length === 0) return undefined;
  const worker = deps.config.config.worker;
  const createMs = expectedHereMs('create-account', worker);
  // holders' `since` is when they were granted their slot
  const lastHolder = Math.max(now.getTime(), ...holders.map((h) => Date.parse(h.since) + createMs));
  const rounds = Math.ceil(waiting.length / worker.maxConcurrentAccountCreations);
  return new Date(lastHolder + rounds * createMs);
}

/** Requests holding a CreateAccount slot now (their CreateAccount is about to start or in progress). */
export async function createAccountsInProgress(store: DocumentStore): Promise<number> {
  return (await readDocument(store, CREATE_ACCOUNT_SLOTS, ID)).body.holders.length;
}

export type SlotAnswer = { granted: true } | { granted: false; queue: QueuePosition };

const entryOf = (record: RequestRecord, now: Date): QueueEntry => ({
  requestId: record.id,
  team: record.team,
  since: record.createdAt < now.toISOString() ? record.createdAt : now.toISOString(),
});

/** Still waiting for, or holding, a slot: a live request in the create-account phase. */
async function stillInLine(deps: WorkflowDeps, requestId: string, self: string): Promise<boolean> {
  if (requestId === self) return true;
  const record = await deps.store.get(requestId);
  return (
    record !== undefined &&
    record.phase === 'create-account' &&
    (record.status === 'QUEUED' || record.status === 'IN_PROGRESS')
  );
}

/**
 * Takes one of the organisation's CreateAccount slots for `record`, or puts it in the fair queue
 * and reports its place. The grant is a conditional write on one shared document, so the limit
 * holds across processes. Entries of requests that left the phase (failed, finished, gone) are
 * dropped when they stand in the way, so a crash never leaks a slot.
 */
export async function takeCreateAccountSlot(deps: WorkflowDeps, record: RequestRecord): Promise<SlotAnswer> {
  const limit = deps.config.config.worker.maxConcurrentAccountCreations;
  const now = deps.clock.now();
  const { body } = await readDocument(deps.store, CREATE_ACCOUNT_SLOTS, ID);
  if (body.holders.some((h) => h.requestId === record.id)) return { granted: true };

  // Only a request that would be served now checks whether those ahead of it are still there.
  const order = fairOrder(
    [...body.waiting.filter((w) => w.requestId !== record.id), entryOf(record, now)],
    body.holders,
  );
  const mine = order.findIndex((w) => w.requestId === record.id);
  const gone = new Set<string>();
  if (mine < limit) {
    for (const entry of [...body.holders, ...order.slice(0, mine)]) {
      if (!(await stillInLine(deps, entry.requestId, record.id))) gone.add(entry.requestId);
    }
  }

  return updateDocument<Slots, SlotAnswer>(
    deps.store,
    CREATE_ACCOUNT_SLOTS,
    ID,
    () => deps.clock.now(),
    (slots) => {
      const before = JSON.stringify(slots);
      slots.holders = slots.holders.filter((h) => !gone.has(h.requestId));
      slots.waiting = slots.waiting.filter((w) => !gone.has(w.requestId));
      if (slots.holders.some((h) => h.requestId === record.id))
        return { write: JSON.stringify(slots) !== before, result: { granted: true } };
      if (!slots.waiting.some((w) => w.requestId === record.id)) slots.waiting.push(entryOf(record, now));
      const queue = fairOrder(slots.waiting, slots.holders);
      const place = queue.findIndex((w) => w.requestId === record.id);
      const free = limit - slots.holders.length;
      if (place < free) {
        const [granted] = slots.waiting.splice(
          slots.waiting.findIndex((w) => w.requestId === record.id),
          1,
        );
        if (granted) slots.holders.push({ ...granted, since: now.toISOString() });
        return { write: true, result: { granted: true } };
      }
      return {
        write: JSON.stringify(slots) !== before,
        result: {
          granted: false,
          queue: {
            position: place + 1 - Math.max(0, free),
            of: queue.length,
            slotsInUse: slots.holders.length,
            slots: limit,
          },
        },
      };
    },
  );
}

/**
 * Gives the slot (or the place in the queue) back: the request left the create-account phase. The
 * requests now first in line are woken (their next check moved to now), so a freed slot is used
 * at once while queued requests need not poll for one.
 */
export async function releaseCreateAccountSlot(deps: WorkflowDeps, requestId: string): Promise<void> {
  const limit = deps.config.config.worker.maxConcurrentAccountCreations;
  const next = await updateDocument(
    deps.store,
    CREATE_ACCOUNT_SLOTS,
    ID,
    () => deps.clock.now(),
    (slots) => {
      const count = slots.holders.length + slots.waiting.length;
      slots.holders = slots.holders.filter((h) => h.requestId !== requestId);
      slots.waiting = slots.waiting.filter((w) => w.requestId !== requestId);
      const changed = slots.holders.length + slots.waiting.length !== count;
      const free = Math.max(0, limit - slots.holders.length);
      const first = changed ? fairOrder(slots.waiting, slots.holders).slice(0, free) : [];
      return { write: changed, result: first.map((w) => w.requestId) };
    },
  );
  for (const id of next) await wakeRequest(deps, id);
}
