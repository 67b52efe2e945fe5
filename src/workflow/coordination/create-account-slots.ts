import { z } from 'zod';
import type { QueuePosition, RequestRecord } from '../../domain/account-request';
import type { WorkflowDeps } from '../step';
import type { DocumentStore } from '../../domain/ports/document-store';
import { readDocument, updateDocument, type DocumentKind } from './document';
import { serveTurn, takeTurn, type QueueEntry } from './fair-queue';
import {
  countTickets,
  dropTicket,
  findTicket,
  headOfQueue,
  putTicket,
  type Ticket,
} from './create-account-queue';
import { wakeRequest } from '../request-writes';
import { expectedHereMs } from '../backoff';

const EntrySchema = z.object({ requestId: z.string(), team: z.string(), since: z.string() });
const SlotsSchema = z.object({
  /** Requests holding a slot: granted, CreateAccount about to be called or in progress. */
  holders: z.array(EntrySchema),
  /** The queue's turns (see fair-queue.ts); the waiting requests are tickets of their own. */
  served: z.number().int().min(0).default(0),
  teams: z.record(z.string(), z.number().int().min(0)).default({}),
  /** Where waiting requests were kept before they had tickets: woken to queue again, then dropped. */
  waiting: z.array(EntrySchema).optional(),
});
type Slots = z.infer<typeof SlotsSchema>;

/** The organisation's CreateAccount slots (AWS allows 5 in progress), shared by every worker. */
export const CREATE_ACCOUNT_SLOTS: DocumentKind<Slots> = {
  kind: 'limiter',
  schema: SlotsSchema,
  empty: () => ({ holders: [], served: 0, teams: {} }),
};
const ID = 'create-account';

/**
 * Waiting requests the estimate below counts at most. It read one page of the queue (100 tickets)
 * when it listed them; counting further changes the batch cut at 10 slots (a queue of 160 is beyond
 * the horizon, 100 within it): more, smaller baseline batches — at N = 1,000 with 10 slots, 2.8 %
 * more AWS calls and a 0.4 % longer makespan. Kept until the horizon is tuned on its own.
 */
const HEAD_COUNTED = 100;

/**
 * When the last account now in the CreateAccount pipeline should exist: each holder's CreateAccount
 * ends about one usual duration after its grant, and each request waiting takes the slot that
 * frees first. Undefined when no request holds or waits for a slot. Only the head of the queue that
 * could be served within `horizonMs` is counted, and at most HEAD_COUNTED of it: a longer queue
 * answers a time beyond the horizon, or HEAD_COUNTED requests' worth of rounds.
 */
export async function lastAccountExpectedAt(
  deps: WorkflowDeps,
  now: Date,
  horizonMs: number,
): Promise<Date | undefined> {
  const worker = deps.config.config.worker;
  const slots = worker.maxConcurrentAccountCreations;
  const createMs = expectedHereMs('create-account', worker);
  const { holders } = (await readDocument(deps.store, CREATE_ACCOUNT_SLOTS, ID)).body;
  // CreateAccount rounds within the horizon, and one more (none but that one on an emulator whose
  // operations end at once)
  const horizon = ((createMs > 0 ? Math.ceil(horizonMs / createMs) : 0) + 1) * slots;
  const waiting = await countTickets(deps.store, { atMost: Math.min(horizon, HEAD_COUNTED) });
  if (holders.length === 0 && waiting === 0) return undefined;
  // Each slot frees when its holder's CreateAccount ends, about one usual duration after the grant
  // (holders' `since`); a free slot is free now. Each waiting request takes the slot freed first.
  const at = now.getTime();
  const ends = holders.map((h) => Math.max(at, Date.parse(h.since) + createMs));
  const frees = [...ends, ...Array<number>(Math.max(0, slots - ends.length)).fill(at)];
  let last = Math.max(at, ...ends);
  for (let i = 0; i < waiting; i++) {
    frees.sort((a, b) => a - b);
    const end = (frees.shift() ?? at) + createMs;
    frees.push(end);
    last = Math.max(last, end);
  }
  return new Date(last);
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

/** Still waiting for a slot: a live request in the create-account phase that holds none. */
async function stillWaiting(deps: WorkflowDeps, requestId: string, holders: QueueEntry[]): Promise<boolean> {
  if (holders.some((h) => h.requestId === requestId)) return false;
  return stillInPhase(deps, requestId);
}

async function stillInPhase(deps: WorkflowDeps, requestId: string): Promise<boolean> {
  const record = await deps.store.get(requestId);
  return (
    record !== undefined &&
    record.phase === 'create-account' &&
    (record.status === 'QUEUED' || record.status === 'IN_PROGRESS')
  );
}

/** The slots document changed by `change`, which also says what to return. */
const updateSlots = <R>(deps: WorkflowDeps, change: (slots: Slots) => { write: boolean; result: R }) =>
  updateDocument<Slots, R>(deps.store, CREATE_ACCOUNT_SLOTS, ID, () => deps.clock.now(), change);

/** Requests that waited in the document before tickets: taken out (the caller wakes them). */
function takeLegacyWaiting(slots: Slots): string[] {
  const ids = (slots.waiting ?? []).map((w) => w.requestId);
  delete slots.waiting;
  return ids;
}

/** Gives the request a ticket: its turn is fixed now, by the queue's turns and its team's. */
async function queueUp(deps: WorkflowDeps, record: RequestRecord): Promise<Ticket> {
  const entry = entryOf(record, deps.clock.now());
  const { turn, legacy } = await updateSlots(deps, (slots) => {
    const legacy = takeLegacyWaiting(slots);
    return { write: true, result: { turn: takeTurn(slots, record.team), legacy } };
  });
  for (const id of legacy) if (id !== record.id) await wakeRequest(deps, id);
  const ticket = await putTicket(deps.store, entry, turn, deps.clock.now());
  record.handles.createAccountTicket = ticket.key;
  return ticket;
}

/**
 * Takes one of the organisation's CreateAccount slots for `record`, or keeps it in the fair queue
 * and reports its place. A request gets a slot when its ticket is among the first of the queue
 * for the slots free; the grant is a conditional write on the one small slots document, so the
 * limit holds across processes. Holders and tickets of requests that left the phase (failed,
 * finished, gone) are dropped when they stand in the way, so a crash never leaks a slot.
 */
export async function takeCreateAccountSlot(deps: WorkflowDeps, record: RequestRecord): Promise<SlotAnswer> {
  const limit = deps.config.config.worker.maxConcurrentAccountCreations;
  const held = (await readDocument(deps.store, CREATE_ACCOUNT_SLOTS, ID)).body;
  if (held.holders.some((h) => h.requestId === record.id)) return granted(deps, record);
  const key = record.handles.createAccountTicket;
  // A ticket left from an earlier attempt (dropped when that attempt failed) does not count.
  const mine = (key ? await findTicket(deps.store, key) : undefined) ?? (await queueUp(deps, record));

  // Tickets dropped by this look: a listing that lags (DynamoDB's index) may still show them.
  const dropped = new Set<string>();
  for (;;) {
    const { holders } = (await readDocument(deps.store, CREATE_ACCOUNT_SLOTS, ID)).body;
    const head = await headOfQueue(deps.store, limit, mine, dropped);
    const place = head.findIndex((t) => t.key === mine.key);
    // Those ahead within the head are checked; the holders only by a request the head includes.
    const ahead = place < 0 ? head : head.slice(0, place);
    const goneTickets: Ticket[] = [];
    for (const t of ahead) if (!(await stillWaiting(deps, t.requestId, holders))) goneTickets.push(t);
    const goneHolders = new Set<string>();
    if (place >= 0)
      for (const h of holders) if (!(await stillInPhase(deps, h.requestId))) goneHolders.add(h.requestId);
    for (const t of goneTickets) {
      await dropTicket(deps.store, t.key);
      dropped.add(t.key);
    }
    if (goneHolders.size > 0) await dropHolders(deps, goneHolders);
    if (goneTickets.length > 0 || goneHolders.size > 0) continue;

    const free = limit - holders.length;
    if (place >= 0 && place < free) {
      const now = deps.clock.now().toISOString();
      const won = await updateSlots(deps, (slots) => {
        if (slots.holders.some((h) => h.requestId === record.id)) return { write: false, result: true };
        if (slots.holders.length >= limit) return { write: false, result: false };
        slots.holders.push({ requestId: record.id, team: record.team, since: now });
        serveTurn(slots, mine.turn);
        return { write: true, result: true };
      });
      if (won) return granted(deps, record);
      continue;
    }
    const before = await countTickets(deps.store, { before: mine.key });
    const waiting = Math.max(await countTickets(deps.store), before + 1);
    return {
      granted: false,
      queue: {
        position: Math.max(1, before + 1 - Math.max(0, free)),
        of: waiting,
        slotsInUse: holders.length,
        slots: limit,
      },
    };
  }
}

/** The request holds a slot: its ticket, if it still has one, leaves the queue. */
async function granted(deps: WorkflowDeps, record: RequestRecord): Promise<SlotAnswer> {
  const key = record.handles.createAccountTicket;
  if (key) await dropTicket(deps.store, key);
  delete record.handles.createAccountTicket;
  return { granted: true };
}

async function dropHolders(deps: WorkflowDeps, gone: ReadonlySet<string>): Promise<void> {
  await updateSlots(deps, (slots) => {
    const before = slots.holders.length;
    slots.holders = slots.holders.filter((h) => !gone.has(h.requestId));
    return { write: slots.holders.length !== before, result: undefined };
  });
}

/**
 * Gives the slot (or the place in the queue) back: the request left the create-account phase. The
 * requests now first in line are woken (their next check moved to now), so a freed slot is used
 * at once while queued requests need not poll for one.
 */
export async function releaseCreateAccountSlot(
  deps: WorkflowDeps,
  requestId: string,
  tickets: readonly (string | undefined)[],
): Promise<void> {
  const limit = deps.config.config.worker.maxConcurrentAccountCreations;
  for (const key of new Set(tickets)) if (key) await dropTicket(deps.store, key);
  const { free, legacy } = await updateSlots(deps, (slots) => {
    const legacy = takeLegacyWaiting(slots);
    const before = slots.holders.length;
    slots.holders = slots.holders.filter((h) => h.requestId !== requestId);
    const changed = slots.holders.length !== before || legacy.length > 0;
    return { write: changed, result: { free: changed ? limit - slots.holders.length : 0, legacy } };
  });
  const first = await headOfQueue(deps.store, Math.max(0, free));
  for (const id of [...legacy, ...first.map((t) => t.requestId)]) await wakeRequest(deps, id);
}
