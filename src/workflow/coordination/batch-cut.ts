import type { FactoryConfig } from '../../config/schema';
import { expectedHereMs } from '../backoff';
import type { Batches } from './baseline-batch-document';

/** An expected request that has not arrived after this long is not waited for. */
const INCOMING_MS = 30 * 60_000;
/** A running batch nobody has checked for this long is not waited for when cutting the next. */
const STALE_BATCH_MS = 10 * 60_000;

/**
 * Whether a StackSet's pending accounts become a batch now: when `maxAccounts` wait; else not while
 * a batch of ours runs, nor while the last accounts on their way are worth holding for (below);
 * else once nobody announced is still to come, or the oldest has waited the window.
 * `lastAccountAt` is when the last account now being created should exist.
 */
export function timeToCut(
  body: Batches,
  now: Date,
  lastAccountAt: Date | undefined,
  worker: FactoryConfig['worker'],
): boolean {
  const { maxAccounts, windowSeconds } = worker.baselineBatching;
  const oldest = body.pending[0];
  if (!oldest) return false;
  if (body.pending.length >= maxAccounts) return true;
  const window = windowSeconds * 1000 * worker.timeScale;
  const awaited = body.incoming.filter((i) => now.getTime() - Date.parse(i.since) < INCOMING_MS);
  // A batch nobody has looked at for a while (its members gone) no longer holds the next one back.
  const running = body.batches.some(
    (b) => b.state !== 'DONE' && now.getTime() - Date.parse(b.checkedAt ?? b.createdAt) < STALE_BATCH_MS,
  );
  // While a batch of ours runs, AWS would only queue another behind it (one operation at a time
  // per StackSet): keep gathering, and cut when it ends — one operation for all who came meanwhile.
  if (running) return false;
  // accounts announced within the window are on their way now (one that never comes holds no longer)
  const arriving = awaited.some((i) => now.getTime() - Date.parse(i.since) < window);
  const last = arriving ? new Date(Math.max(now.getTime(), lastAccountAt?.getTime() ?? 0)) : lastAccountAt;
  if (holdForLast(oldest.since, now, last, worker)) return false;
  return awaited.length === 0 || now.getTime() - Date.parse(oldest.since) >= window;
}

/**
 * The last accounts on their way (created, or being created) arrive within one operation time: an
 * operation started now would still run when they come, and theirs would queue behind it (one
 * operation at a time per StackSet), so one operation for all of them, started when they arrive,
 * ends sooner. Held only when the oldest account waiting would wait less than one operation time
 * in all.
 */
function holdForLast(
  oldestSince: string,
  now: Date,
  lastAccountAt: Date | undefined,
  worker: FactoryConfig['worker'],
): boolean {
  if (lastAccountAt === undefined) return false;
  const opMs = expectedHereMs('baseline', worker);
  const last = lastAccountAt.getTime();
  return last - now.getTime() < opMs && last - Date.parse(oldestSince) < opMs;
}
