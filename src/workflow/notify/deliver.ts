import type { RequestEvent, RequestRecord } from '../../domain/account-request';
import { StaleRecordError } from '../../domain/errors';
import type { StoredDocument } from '../../domain/ports/document-store';
import { WebhookRefusedError } from '../../domain/ports/webhook';
import { exponentialDelayMs } from '../backoff';
import { updateDocument } from '../coordination/document';
import type { WorkflowDeps } from '../step';
import { DELIVERY, MAX_FAILURES_KEPT, TARGETS, type DeliveryState, type Target } from './delivery-state';
import { DUE, DueSchema, type Due } from './outbox';
import { eventId, lastSeq } from './request-events';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

/** Marked requests looked at per pass; the next pass goes on from where this one stopped. */
const PAGE = 25;
/** How long a worker may deliver one request's events before another may take over. */
const LEASE_MS = 60_000;

/** Where each worker's passes have got to in the list of marks (per store). */
const positions = new WeakMap<object, string>();

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
}

/** In order, one POST per event; a failure stops here so the endpoint never sees them out of order. */
async function toWebhook(
  deps: WorkflowDeps,
  record: RequestRecord,
  events: RequestEvent[],
  state: DeliveryState,
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
      if (state.webhook.through < e.seq) return;
    }
  }
}

/** Delivers the record's events after each target's `through` (and from the mark's `from`). */
async function deliverRecord(deps: WorkflowDeps, record: RequestRecord, due: Due, state: DeliveryState) {
  const newest = lastSeq(record);
  await Promise.all(
    TARGETS.map(async (target) => {
      const t = state[target];
      if (!active(deps, record, target)) {
        t.through = Math.max(t.through, newest);
        return;
      }
      const after = Math.max(t.through, due.from - 1);
      const events = (record.events ?? []).filter((e) => e.seq > after);
      noteReplaced(state, target, after, events[0]?.seq ?? newest + 1, deps.clock.now());
      if (events.length === 0) {
        t.through = Math.max(t.through, newest);
        return;
      }
      if (target === 'eventbridge') await toEventBridge(deps, record, events, state);
      else await toWebhook(deps, record, events, state);
    }),
  );
}

async function takeLease(deps: WorkflowDeps, id: string, owner: string): Promise<DeliveryState | undefined> {
  const now = () => deps.clock.now();
  return updateDocument(deps.store, DELIVERY, id, now, (state) => {
    if (state.lease && state.lease.owner !== owner && Date.parse(state.lease.until) > now().getTime()) {
      return { write: false, result: undefined };
    }
    state.lease = { owner, until: new Date(now().getTime() + LEASE_MS).toISOString() };
    return { write: true, result: structuredClone(state) };
  });
}

async function saveState(deps: WorkflowDeps, id: string, owner: string, done: DeliveryState): Promise<void> {
  await updateDocument(
    deps.store,
    DELIVERY,
    id,
    () => deps.clock.now(),
    (state) => {
      if (state.lease?.owner !== owner) return { write: false, result: undefined };
      Object.assign(state, structuredClone(done));
      delete state.lease;
      return { write: true, result: undefined };
    },
  );
}

/** When a failing target is tried again: the one retry schedule, scaled like every other delay. */
function retryAt(deps: WorkflowDeps, state: DeliveryState, now: Date): string {
  const { firstRetrySeconds, maxRetrySeconds } = deps.config.config.events.webhooks;
  const attempts = Math.max(...TARGETS.map((t) => state[t].attempts));
  const delay = exponentialDelayMs(
    attempts - 1,
    firstRetrySeconds * 1000,
    maxRetrySeconds * 1000,
    deps.random,
  );
  return new Date(now.getTime() + Math.round(delay * deps.config.config.worker.timeScale)).toISOString();
}

/** Removes the mark once caught up, else sets when to try again; a mark changed meanwhile is left for the next pass. */
async function settleMark(
  deps: WorkflowDeps,
  mark: StoredDocument,
  due: Due,
  caughtUp: boolean,
  state: DeliveryState,
) {
  try {
    if (caughtUp) await deps.store.deleteDocument(DUE.kind, mark.id, mark.version);
    else {
      const body: Due = { ...due, retryAt: retryAt(deps, state, deps.clock.now()) };
      await deps.store.putDocument(DUE.kind, mark.id, body, mark.version, deps.clock.now());
    }
  } catch (e) {
    if (!(e instanceof StaleRecordError)) throw e;
  }
}

/** One marked request: its undelivered events to each target, under the request's delivery lease. */
async function deliverMarked(deps: WorkflowDeps, owner: string, mark: StoredDocument): Promise<boolean> {
  const due = DueSchema.parse(mark.body);
  const state = await takeLease(deps, mark.id, owner);
  if (!state) return false;
  let record: RequestRecord | undefined;
  try {
    record = await deps.store.get(mark.id);
    if (record) await deliverRecord(deps, record, due, state);
  } finally {
    await saveState(deps, mark.id, owner, state);
  }
  const newest = record ? lastSeq(record) : 0;
  const caughtUp = TARGETS.every((t) => state[t].through >= newest);
  await settleMark(deps, mark, due, caughtUp, state);
  return true;
}

/**
 * One pass of the deliverer: the next page of marked requests whose retry time has come, each
 * delivered under its own lease (several workers share the work). Returns whether it delivered
 * anything, so the worker loop comes back at once while there is more.
 */
export async function deliverNotifications(deps: WorkflowDeps, owner: string): Promise<boolean> {
  const position = positions.get(deps.store);
  const page = await deps.store.listDocuments(DUE.kind, {
    limit: PAGE,
    ...(position ? { cursor: position } : {}),
  });
  if (page.nextCursor) positions.set(deps.store, page.nextCursor);
  else positions.delete(deps.store);
  const now = deps.clock.now().getTime();
  const ready = page.items.filter((mark) => {
    const retry = DueSchema.safeParse(mark.body).data?.retryAt;
    return retry === undefined || Date.parse(retry) <= now;
  });
  const outcomes = await Promise.all(
    (await perTeam(deps, ready)).map((mark) => deliverMarked(deps, owner, mark)),
  );
  return outcomes.some(Boolean);
}

/**
 * At most `events.webhooks.perTeam` of the marks of one team per pass: one team's slow endpoint
 * holds back only its own team's deliveries (the rest stay marked for the next pass).
 */
async function perTeam(deps: WorkflowDeps, marks: StoredDocument[]): Promise<StoredDocument[]> {
  const limit = deps.config.config.events.webhooks.perTeam;
  const taken = new Map<string, number>();
  const kept: StoredDocument[] = [];
  for (const mark of marks) {
    const team = (await deps.store.get(mark.id))?.team ?? '';
    const count = taken.get(team) ?? 0;
    if (count >= limit) continue;
    taken.set(team, count + 1);
    kept.push(mark);
  }
  return kept;
}

/** How a request's deliveries fared (undefined before the first delivery). */
export async function deliveryState(
  deps: Pick<WorkflowDeps, 'store'>,
  requestId: string,
): Promise<DeliveryState | undefined> {
  const doc = await deps.store.getDocument(DELIVERY.kind, requestId);
  return doc ? DELIVERY.schema.parse(doc.body) : undefined;
}
