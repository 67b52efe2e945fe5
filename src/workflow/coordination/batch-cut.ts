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
 * Holding the pending accounts for the last ones on their way (created, or being created): batches
 * of one StackSet run one after the other, so the batch that includes the last account can start
 * only when the one before it has ended. Cutting now starts a chain of batches one operation time
 * apart; it wastes nothing if a batch of that chain is due to start just as the last account
 * arrives, else the last account waits for the running one to end. So the cut is held until the
 * chain lines up with the last arrival (less than one operation time; not at all when it lines up
 * within ALIGNED_SHARE of one), and while the last accounts are arriving now. No account is held
 * once it has waited two operation times in all (a create that never ends holds nobody for ever),
 * but for a last arrival due within ALIGNED_SHARE of an operation time, for at most that long.
 */
function holdForLast(
  oldestSince: string,
  now: Date,
  lastAccountAt: Date | undefined,
  worker: FactoryConfig['worker'],
): boolean {
  if (lastAccountAt === undefined) return false;
  const opMs = expectedHereMs('baseline', worker);
  const ahead = lastAccountAt.getTime() - now.getTime();
  const waited = now.getTime() - Date.parse(oldestSince);
  // a last arrival due any moment is worth its seconds even then: a cut now would make it wait a
  // whole operation behind this batch (held at most ALIGNED_SHARE of one operation longer)
  if (waited >= 2 * opMs) return waited < (2 + ALIGNED_SHARE) * opMs && ahead <= ALIGNED_SHARE * opMs;
  if (ahead <= 0) return true;
  // a last arrival this far off is an estimate too rough to line a chain up with
  if (ahead > ALIGN_HORIZON_OPS * opMs) return false;
  const lateBy = (opMs - (ahead % opMs)) % opMs;
  return lateBy > ALIGNED_SHARE * opMs;
}

/** How far ahead (in operation times) a last arrival is still lined up with. */
export const ALIGN_HORIZON_OPS = 10;

/** A chain of batches this close to the last arrival (a share of one operation time) is not held. */
const ALIGNED_SHARE = 0.05;
