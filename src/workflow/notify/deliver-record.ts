import type { RequestEvent, RequestRecord } from '../../domain/account-request';
import { WebhookRefusedError } from '../../domain/ports/webhook';
import type { WorkflowDeps } from '../step';
import { MAX_FAILURES_KEPT, TARGETS, type DeliveryState, type Target } from './delivery-state';
import { eventId, lastSeq } from './request-events';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

/**
 * One request's events to each target (EventBridge, the request's webhook): what is new since the
 * target's `through`, in order, at most EVENTS_PER_STEP per target per step; failures and replaced
 * events recorded in the delivery state, which is saved (`checkpoint`) after each event so a lost
 * save repeats only the event in flight.
 */
export const EVENTS_PER_STEP = 10;

/** Writes the delivery state as it stands; throws StaleRecordError when another writer came first. */
export type Checkpoint = () => Promise<void>;

/** The event as EventBridge carries it: `eventId` lets consumers drop a redelivery. */
const forEventBridge = (requestId: string, e: RequestEvent) => ({
  detailType: e.type,
  detail: { eventId: eventId(requestId, e.seq), seq: e.seq, time: e.at, ...e.detail },
});

/** The webhook body: the same facts as the EventBridge event, in a small envelope. */
const webhookBody = (requestId: string, e: RequestEvent): string =>
  JSON.stringify({ id: eventId(requestId, e.seq), type: e.type, time: e.at, detail: e.detail });

function active(deps: WorkflowDeps, record: RequestRecord, target: Target): boolean {
  if (target === 'eventbridge') return Boolean(deps.config.config.events.busName && deps.aws.events);
  return Boolean(record.webhook && deps.webhooks);
}

/** Counts the failed attempt; past `maxAttempts` (or a refusal) the events are given up and recorded. */
function failed(
  deps: WorkflowDeps,
  state: DeliveryState,
  target: Target,
  events: RequestEvent[],
  error: unknown,
  now: Date,
): void {
  const t = state[target];
  const message = error instanceof Error ? error.message : String(error);
  t.attempts += 1;
  t.lastError = message;
  if (!(error instanceof WebhookRefusedError) && t.attempts < deps.config.config.events.webhooks.maxAttempts)
    return;
  for (const e of events) {
    state.failed.push({
      seq: e.seq,
      target,
      type: e.type,
      attempts: t.attempts,
      error: message,
      at: now.toISOString(),
    });
  }
  state.failed = state.failed.slice(-MAX_FAILURES_KEPT);
  state.failedTotal += events.length;
  t.through = events.at(-1)?.seq ?? t.through;
  t.attempts = 0;
}

/**
 * Events the record no longer holds (it keeps its newest MAX_EVENTS_KEPT) although this target
 * never got them: counted as given up, never skipped silently.
 */
function noteReplaced(
  state: DeliveryState,
  target: Target,
  after: number,
  firstKept: number,
  now: Date,
): void {
  const missing = firstKept - after - 1;
  if (missing <= 0) return;
  state.failed.push({
    seq: after + 1,
    target,
    type: 'replaced before delivery',
    attempts: state[target].attempts,
    error: `events ${after + 1}–${firstKept - 1} were replaced on the request by newer ones before they could be delivered`,
    at: now.toISOString(),
  });
  state.failed = state.failed.slice(-MAX_FAILURES_KEPT);
  state.failedTotal += missing;
  state[target].through = firstKept - 1;
}

function succeeded(state: DeliveryState, target: Target, events: RequestEvent[]): void {
  const t = state[target];
  t.through = events.at(-1)?.seq ?? t.through;
  t.delivered += events.length;
  t.attempts = 0;
  delete t.lastError;
}

async function toEventBridge(
  deps: WorkflowDeps,
  record: RequestRecord,
  events: RequestEvent[],
  state: DeliveryState,
  checkpoint: Checkpoint,
) {
  const busName = deps.config.config.events.busName;
  if (!busName || !deps.aws.events) return;
  state.eventbridge.lastAttemptAt = deps.clock.now().toISOString();
  try {
    await deps.aws.events.publish(
      busName,
      events.map((e) => forEventBridge(record.id, e)),
    );
    succeeded(state, 'eventbridge', events);
  } catch (e) {
    failed(deps, state, 'eventbridge', events, e, deps.clock.now());
  }
  await checkpoint();
}

/** In order, one POST per event; a failure stops here so the endpoint never sees them out of order. */
async function toWebhook(
  deps: WorkflowDeps,
  record: RequestRecord,
  events: RequestEvent[],
  state: DeliveryState,
  checkpoint: Checkpoint,
) {
  const { webhook } = record;
  if (!webhook || !deps.webhooks) return;
  const timeoutMs = deps.config.config.events.webhooks.timeoutSeconds * 1000;
  for (const e of events) {
    const body = webhookBody(record.id, e);
    const now = deps.clock.now();
    state.webhook.lastAttemptAt = now.toISOString();
    try {
      const answer = await deps.webhooks.post({
        url: webhook.url,
        body,
        timeoutMs,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'avf-webhook/1',
          'x-avf-event-id': eventId(record.id, e.seq),
          'x-avf-event-type': e.type,
          [SIGNATURE_HEADER]: signWebhook(webhook.secret, body, now),
        },
      });
      if (answer.status < 200 || answer.status > 299) {
        throw new Error(`HTTP ${answer.status}${answer.excerpt ? `: ${answer.excerpt}` : ''}`);
      }
      succeeded(state, 'webhook', [e]);
    } catch (err) {
      failed(deps, state, 'webhook', [e], err, now);
    }
    await checkpoint();
    if (state.webhook.through < e.seq) return;
  }
}

/** Delivers the record's events after each target's `through` (and from event `from` on). */
export async function deliverRecord(
  deps: WorkflowDeps,
  record: RequestRecord,
  from: number,
  state: DeliveryState,
  checkpoint: Checkpoint,
) {
  const newest = lastSeq(record);
  // both targets finish their post in flight before a lost checkpoint ends the step
  const settled = await Promise.allSettled(
    TARGETS.map(async (target) => {
      const t = state[target];
      if (!active(deps, record, target)) {
        t.through = Math.max(t.through, newest);
        return;
      }
      const after = Math.max(t.through, from - 1);
      const events = (record.events ?? []).filter((e) => e.seq > after).slice(0, EVENTS_PER_STEP);
      noteReplaced(state, target, after, events[0]?.seq ?? newest + 1, deps.clock.now());
      if (events.length === 0) {
        t.through = Math.max(t.through, newest);
        return;
      }
      if (target === 'eventbridge') await toEventBridge(deps, record, events, state, checkpoint);
      else await toWebhook(deps, record, events, state, checkpoint);
    }),
  );
  const lost = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (lost) throw lost.reason;
}
