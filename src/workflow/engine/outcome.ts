import { AvfError } from '../../domain/errors';

/**
 * What one short step of a job did; the one result type of every job kind. Expected failures are
 * outcomes with reasons, not exceptions.
 * - `done`: the job (for a request: its current phase) is finished;
 * - `continue`: progress was made, step again at once;
 * - `wait`: check again later — after `afterMs` (scaled by `worker.timeScale`), or after the
 *   kind's backoff when unset; `transient` marks a retried error rather than a poll;
 * - `failed`: the job ends FAILED with a reason a person can read.
 */
export type Outcome =
  | { kind: 'done'; detail?: string }
  | { kind: 'continue'; detail?: string }
  | { kind: 'wait'; detail?: string; afterMs?: number; transient?: boolean }
  | { kind: 'failed'; code: string; reason: string };

export const done = (detail?: string): Outcome => ({ kind: 'done', detail });
export const proceed = (detail?: string): Outcome => ({ kind: 'continue', detail });
export const wait = (detail?: string, afterMs?: number): Outcome => ({ kind: 'wait', detail, afterMs });
/**
 * `wait` until a moment already set on the real clock (an interval, a rate): `afterMs` is divided
 * by `worker.timeScale` here, so the engine's scaling leaves the moment where it is.
 */
export const waitUntil = (detail: string, at: Date, now: Date, timeScale: number): Outcome =>
  wait(detail, Math.max(0, at.getTime() - now.getTime()) / timeScale);
export const fail = (code: string, reason: string): Outcome => ({ kind: 'failed', code, reason });

/**
 * An error thrown by a step, as an outcome: transient errors (throttling, 5xx, conflicts) wait and
 * retry; others fail the job, or, for kinds that must not give up (`retryAll`), wait five minutes
 * with the error in `detail` for a person to mend the cause.
 */
export function outcomeOfError(e: unknown, retryAll = false): Outcome {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof AvfError && e.retryable)
    return { kind: 'wait', detail: `transient: ${message}`, transient: true };
  if (retryAll) return { kind: 'wait', detail: `failing: ${message}`, afterMs: 5 * 60_000 };
  if (e instanceof AvfError) return fail(e.code, message);
  return fail('INTERNAL_ERROR', `unexpected error: ${message}`);
}
