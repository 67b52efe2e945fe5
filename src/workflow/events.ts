import { z } from 'zod';
import { recordEventPublishFailure } from '../metrics/registry';
import { updateDocument, type DocumentKind } from './coordination/document';
import type { WorkflowDeps } from './step';

export interface FactoryEvent {
  /** e.g. `Rollout Wave Finished`, `Drift Finding`. */
  detailType: string;
  detail: object;
}

export const FactoryEventSchema = z.object({
  detailType: z.string(),
  detail: z.custom<object>((v) => typeof v === 'object' && v !== null, 'an object'),
});

/** A coordination document (a rollout, the drift sweep) that carries the events its steps produced. */
export interface WithOutbox {
  /** Events written with the change they report, not yet on the bus; oldest first. */
  outbox?: FactoryEvent[];
}

/**
 * Adds a step's events to the outbox of the document it is about to save, in that same write, so
 * an event exists exactly when its change does. Without a bus in the config there is nowhere to
 * send them and nothing is kept.
 */
export function addToOutbox(deps: WorkflowDeps, doc: WithOutbox, events: readonly FactoryEvent[]): void {
  if (events.length === 0 || !deps.config.config.events.busName || !deps.aws.events) return;
  doc.outbox = [...(doc.outbox ?? []), ...events];
}

/** How soon a job whose outbox did not go out tries again (the bus was down or throttled). */
export const OUTBOX_RETRY_MS = 30_000;

/**
 * Publishes the outbox of one document on the configured bus and removes what went out. A publish
 * that fails leaves the events where they are (counted in `avf_event_publish_failures_total`), and
 * the next flush of that document sends them again, in order; the work they report on goes on
 * meanwhile. Returns whether everything pending went out.
 */
export async function flushOutbox<T extends WithOutbox | undefined>(
  deps: WorkflowDeps,
  kind: DocumentKind<T>,
  id: string,
  pending: readonly FactoryEvent[] | undefined,
): Promise<boolean> {
  const busName = deps.config.config.events.busName;
  if (!pending || pending.length === 0) return true;
  if (!busName || !deps.aws.events) return false;
  try {
    await deps.aws.events.publish(busName, [...pending]);
  } catch {
    recordEventPublishFailure(kind.kind);
    return false;
  }
  // Steps only ever append, so what went out is the head of the outbox, unless another worker's
  // flush removed it first (then it went out twice: delivery is at least once).
  const sent = JSON.stringify(pending);
  await updateDocument(
    deps.store,
    kind,
    id,
    () => deps.clock.now(),
    (doc) => {
      if (!doc?.outbox || JSON.stringify(doc.outbox.slice(0, pending.length)) !== sent)
        return { write: false, result: undefined };
      doc.outbox = doc.outbox.slice(pending.length);
      if (doc.outbox.length === 0) delete doc.outbox;
      return { write: true, result: undefined };
    },
  );
  return true;
}
