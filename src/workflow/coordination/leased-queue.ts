import { AvfError } from '../../domain/errors';
import { errorDelayMs } from '../backoff';
import type { WorkflowDeps } from '../step';
import { updateDocument, type DocumentKind } from './document';

/** One job of a queue document, advanced a stage at a time by whichever worker leases it. */
export interface QueueEntry<S extends string = string> {
  accountId: string;
  stage: S;
  /** When the stage is checked again (after a wait or an error). */
  nextCheckAt: string;
  attempts: number;
  /** The last thing that happened (or went wrong), for people. */
  detail?: string;
  leaseOwner?: string;
  leaseUntil?: string;
}

/** What one stage did: go on to another stage, check again later, or finish (the entry goes). */
export type QueueOutcome<S extends string> =
  | { kind: 'next'; stage: S; detail: string }
  | { kind: 'wait'; detail: string; afterMs: number }
  | { kind: 'finished'; detail: string };

/**
 * A store document holding a queue of per-account jobs (closures, baseline redeploys) that the
 * workers work through: each claims due entries under a lease in the document, advances each by
 * one short stage and writes it back, so a crash loses nothing and two workers never run one entry.
 */
export interface LeasedQueue<B, E extends QueueEntry> {
  document: DocumentKind<B>;
  id: string;
  /** The entries, as stored in the body (mutated in place). */
  entries(body: B): E[];
  /** Entries one worker advances per tick. */
  batch: number;
  /** A worker that died mid-stage holds its entries this long. */
  leaseMs: number;
  /** Besides free and due: whether the entry may be claimed now (e.g. a slot is free). */
  claimable?(entry: E, body: B, now: Date): boolean;
  /** Entries dropped from the document when claims are next made (e.g. results kept for a while). */
  expired?(entry: E, now: Date): boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Read-modify-write of the queue's entries (and body), conditional like every document write. */
function editQueue<B, E extends QueueEntry, R>(
  deps: WorkflowDeps,
  queue: LeasedQueue<B, E>,
  change: (entries: E[], body: B) => { write: boolean; result: R },
): Promise<R> {
  return updateDocument(
    deps.store,
    queue.document,
    queue.id,
    () => deps.clock.now(),
    (body) => change(queue.entries(body), body),
  );
}

/** Leases the due entries (at most `batch`), dropping expired ones on the way. */
function claim<B, E extends QueueEntry>(
  deps: WorkflowDeps,
  queue: LeasedQueue<B, E>,
  owner: string,
  now: Date,
): Promise<E[]> {
  return editQueue(deps, queue, (entries, body) => {
    const kept = entries.filter((e) => !queue.expired?.(e, now));
    const dropped = kept.length !== entries.length;
    entries.splice(0, entries.length, ...kept);
    const claimed: E[] = [];
    for (const entry of entries) {
      if (claimed.length >= queue.batch) break;
      const free = entry.leaseUntil === undefined || Date.parse(entry.leaseUntil) <= now.getTime();
      const due = Date.parse(entry.nextCheckAt) <= now.getTime();
      if (!free || !due || queue.claimable?.(entry, body, now) === false) continue;
      entry.leaseOwner = owner;
      entry.leaseUntil = iso(now.getTime() + queue.leaseMs);
      claimed.push(structuredClone(entry));
    }
    return { write: dropped || claimed.length > 0, result: claimed };
  });
}

/** Writes an entry back (or removes it when finished), if this worker still holds its lease. */
async function release<B, E extends QueueEntry>(
  deps: WorkflowDeps,
  queue: LeasedQueue<B, E>,
  owner: string,
  entry: E,
  finished: boolean,
): Promise<void> {
  await editQueue(deps, queue, (entries) => {
    const i = entries.findIndex((e) => e.accountId === entry.accountId && e.leaseOwner === owner);
    if (i < 0) return { write: false, result: undefined };
    const released = { ...entry };
    delete released.leaseOwner;
    delete released.leaseUntil;
    if (finished) entries.splice(i, 1);
    else entries[i] = released;
    return { write: true, result: undefined };
  });
}

/**
 * Runs one stage of a claimed entry and records its outcome on it. An error is not fatal: the
 * stage is tried again later (soon when retryable), and `detail` says why for a person.
 */
async function advanceOne<S extends string>(
  deps: WorkflowDeps,
  entry: QueueEntry<S>,
  run: () => Promise<QueueOutcome<S>>,
): Promise<boolean> {
  let outcome: QueueOutcome<S>;
  try {
    outcome = await run();
  } catch (e) {
    const retryable = e instanceof AvfError && e.retryable;
    const message = e instanceof Error ? e.message : String(e);
    const delay = retryable ? errorDelayMs(entry.attempts, deps.random) : 5 * 60_000;
    outcome = { kind: 'wait', detail: `${retryable ? 'transient' : 'failing'}: ${message}`, afterMs: delay };
  }
  const scale = deps.config.config.worker.timeScale;
  entry.detail = outcome.detail;
  if (outcome.kind === 'next') {
    entry.stage = outcome.stage;
    entry.attempts = 0;
    entry.nextCheckAt = iso(deps.clock.now().getTime());
  } else if (outcome.kind === 'wait') {
    entry.attempts += 1;
    entry.nextCheckAt = iso(deps.clock.now().getTime() + Math.round(outcome.afterMs * scale));
  }
  return outcome.kind === 'finished';
}

/**
 * The worker's share of a queue: claims the due entries, advances each by one stage with `run`
 * (which may change the entry it is given) and writes it back. Returns how many were advanced.
 */
export async function advanceQueue<B, S extends string, E extends QueueEntry<S>>(
  deps: WorkflowDeps,
  queue: LeasedQueue<B, E>,
  owner: string,
  run: (entry: E, now: Date) => Promise<QueueOutcome<S>>,
): Promise<number> {
  const now = deps.clock.now();
  const claimed = await claim(deps, queue, owner, now);
  for (const entry of claimed) {
    const finished = await advanceOne(deps, entry, () => run(entry, now));
    await release(deps, queue, owner, entry, finished);
  }
  return claimed.length;
}
