import { AvfError } from '../../domain/errors';
import { errorDelayMs } from '../backoff';
import { updateDocument } from '../coordination/document';
import {
  CLOSURES,
  CLOSURES_ID,
  closuresInProgress,
  MAX_CLOSURES_IN_PROGRESS,
  type Closure,
} from './closures';
import { runStage, type StageOutcome } from './decommission';
import type { LifecycleDeps } from './deps';
import { accountStateOf } from './managed-account';

/** Closures one worker advances per tick. */
const BATCH = 10;
/** A worker that died mid-stage holds its entries this long. */
const LEASE_MS = 5 * 60_000;
/** An entry whose record never became CLOSING (the close request died between its two writes). */
const ORPHAN_AFTER_MS = 5 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Leases the due closures (at most BATCH). A closure about to call CloseAccount is leased only
 * while fewer than 3 hold one of AWS's slots, counting the ones leased for it by other workers.
 */
async function claim(deps: LifecycleDeps, owner: string, now: Date): Promise<Closure[]> {
  return updateDocument(
    deps.store,
    CLOSURES,
    CLOSURES_ID,
    () => deps.clock.now(),
    (body) => {
      const claimed: Closure[] = [];
      for (const c of body.closures) {
        if (claimed.length >= BATCH) break;
        const free = c.leaseUntil === undefined || Date.parse(c.leaseUntil) <= now.getTime();
        const due = Date.parse(c.dueAt) <= now.getTime() && Date.parse(c.nextCheckAt) <= now.getTime();
        if (!free || !due) continue;
        if (c.stage === 'CLOSE' && closuresInProgress(body, now) >= MAX_CLOSURES_IN_PROGRESS) continue;
        c.leaseOwner = owner;
        c.leaseUntil = iso(now.getTime() + LEASE_MS);
        claimed.push(structuredClone(c));
      }
      return { write: claimed.length > 0, result: claimed };
    },
  );
}

/** Writes a closure back (or removes it when finished), if this worker still holds its lease. */
async function release(
  deps: LifecycleDeps,
  owner: string,
  closure: Closure,
  finished: boolean,
): Promise<void> {
  await updateDocument(
    deps.store,
    CLOSURES,
    CLOSURES_ID,
    () => deps.clock.now(),
    (body) => {
      const i = body.closures.findIndex((c) => c.accountId === closure.accountId && c.leaseOwner === owner);
      if (i < 0) return { write: false, result: undefined };
      const released = { ...closure };
      delete released.leaseOwner;
      delete released.leaseUntil;
      if (finished) body.closures.splice(i, 1);
      else body.closures[i] = released;
      return { write: true, result: undefined };
    },
  );
}

/** The record must be CLOSING before the decommission starts; an orphaned entry is dropped. */
async function orphanCheck(
  deps: LifecycleDeps,
  closure: Closure,
  now: Date,
): Promise<StageOutcome | undefined> {
  if (closure.stage !== 'SCHEDULED') return undefined;
  const record = await deps.store.get(closure.requestId);
  if (record && accountStateOf(record) === 'CLOSING') return undefined;
  if (now.getTime() - Date.parse(closure.requestedAt) > ORPHAN_AFTER_MS) {
    return { kind: 'finished', detail: 'dropped: the account is not closing' };
  }
  return { kind: 'wait', detail: 'waiting for the close request to be recorded', afterMs: 5_000 };
}

async function advanceOne(deps: LifecycleDeps, closure: Closure, now: Date): Promise<boolean> {
  let outcome: StageOutcome;
  try {
    outcome = (await orphanCheck(deps, closure, now)) ?? (await runStage(deps, closure));
  } catch (e) {
    // Not fatal either way: a closure must end; a person reads `detail` and fixes the cause.
    const retryable = e instanceof AvfError && e.retryable;
    const message = e instanceof Error ? e.message : String(e);
    const delay = retryable ? errorDelayMs(closure.attempts, deps.random) : 5 * 60_000;
    outcome = { kind: 'wait', detail: `${retryable ? 'transient' : 'failing'}: ${message}`, afterMs: delay };
  }
  const scale = deps.config.config.worker.timeScale;
  closure.detail = outcome.detail;
  if (outcome.kind === 'next') {
    closure.stage = outcome.stage;
    closure.attempts = 0;
    closure.nextCheckAt = iso(deps.clock.now().getTime());
  } else if (outcome.kind === 'wait') {
    closure.attempts += 1;
    closure.nextCheckAt = iso(deps.clock.now().getTime() + Math.round(outcome.afterMs * scale));
  }
  return outcome.kind === 'finished';
}

/**
 * The worker's share of the closures: claims the due ones, advances each by one stage and writes
 * it back. State lives in the store document only, so a crash loses nothing; a stage repeated
 * after a crash is harmless (each one looks before it acts). Returns how many were advanced.
 */
export async function advanceClosures(deps: LifecycleDeps, owner: string): Promise<number> {
  const now = deps.clock.now();
  const claimed = await claim(deps, owner, now);
  for (const closure of claimed) {
    const finished = await advanceOne(deps, closure, now);
    await release(deps, owner, closure, finished);
  }
  return claimed.length;
}
