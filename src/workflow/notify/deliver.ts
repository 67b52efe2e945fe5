import type { RequestRecord } from '../../domain/account-request';
import { StaleRecordError } from '../../domain/errors';
import type { StoredDocument } from '../../domain/ports/document-store';
import { exponentialDelayMs } from '../backoff';
import { updateDocument } from '../coordination/document';
import type { WorkflowDeps } from '../step';
import { DELIVERY, TARGETS, type DeliveryState } from './delivery-state';
import { DUE, DueSchema, type Due } from './outbox';
import { lastSeq } from './request-events';
import { deliverRecord } from './deliver-record';

/** Marked requests looked at per pass; the next pass goes on from where this one stopped. */
const PAGE = 25;
/** How long a worker may deliver one request's events before another may take over. */
const LEASE_MS = 60_000;

/** Where each worker's passes have got to in the list of marks (per store). */
const positions = new WeakMap<object, string>();

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
