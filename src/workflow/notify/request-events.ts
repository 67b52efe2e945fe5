import type { RequestEvent, RequestRecord, RequestStatus } from '../../domain/account-request';

/** The detail-types of the events kept on a request (EventBridge `DetailType`, webhook `type`). */
export const EVENT_TYPES = {
  statusChanged: 'Account Request Status Changed',
  lifecycleChanged: 'Account Lifecycle Changed',
  driftFinding: 'Drift Finding',
  baselineApplied: 'Account Baseline Applied',
  moved: 'Account Moved',
  changed: 'Account Changed',
  budgetThresholdCrossed: 'Budget Threshold Crossed',
  budgetActionPending: 'Budget Action Pending Approval',
  budgetActionExecuted: 'Budget Action Executed',
  budgetActionReleased: 'Budget Action Released',
  costAnomalyDetected: 'Cost Anomaly Detected',
} as const;
export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

/**
 * Events kept on a record at most. Older ones are dropped first; the outbox has delivered them
 * by then unless a target kept failing, in which case they are counted as failed (see outbox).
 */
export const MAX_EVENTS_KEPT = 50;

/** The `seq` of the record's newest event (0: none yet). */
export function lastSeq(record: Pick<RequestRecord, 'events'>): number {
  return record.events?.at(-1)?.seq ?? 0;
}

/** The globally unique id of an event: its request and its number, stable across redeliveries. */
export const eventId = (requestId: string, seq: number): string => `${requestId}:${seq}`;

/** What every event says about the request it belongs to. */
function subject(record: RequestRecord): Record<string, unknown> {
  return {
    requestId: record.id,
    ...(record.accountId ? { accountId: record.accountId } : {}),
    accountName: record.spec.accountName,
    team: record.team,
    organizationalUnit: record.spec.organizationalUnit,
  };
}

/** Appends an event to the record (a draft about to be saved); returns it. */
export function appendEvent(
  record: RequestRecord,
  type: EventType,
  detail: Record<string, unknown>,
  now: Date,
): RequestEvent {
  const event: RequestEvent = {
    seq: lastSeq(record) + 1,
    type,
    at: now.toISOString(),
    detail: { ...subject(record), ...detail },
  };
  record.events = [...(record.events ?? []), event].slice(-MAX_EVENTS_KEPT);
  return event;
}

/** What a change is judged against: the record as it was read (undefined for a new one). */
export type Before = Pick<RequestRecord, 'status' | 'lifecycle'> | undefined;

/**
 * Appends an event for each change since `before`: the request's status, the account's lifecycle
 * state (CLOSING, SUSPENDED, CLOSED, ACTIVE again). Returns how many it appended.
 */
export function noteChanges(before: Before, record: RequestRecord, now: Date): number {
  let noted = 0;
  if (noteStatusChange(before?.status, record, now)) noted += 1;
  const was = before?.lifecycle?.state;
  const is = record.lifecycle?.state;
  if (is !== undefined && is !== was && !(was === undefined && is === 'ACTIVE')) {
    appendEvent(
      record,
      EVENT_TYPES.lifecycleChanged,
      { state: is, ...(was ? { previousState: was } : {}) },
      now,
    );
    noted += 1;
  }
  return noted;
}

function noteStatusChange(before: RequestStatus | undefined, record: RequestRecord, now: Date): boolean {
  if (before === record.status) return false;
  appendEvent(
    record,
    EVENT_TYPES.statusChanged,
    {
      status: record.status,
      ...(before ? { previousStatus: before } : {}),
      phase: record.phase,
      ...(record.error ? { error: { code: record.error.code, message: record.error.message } } : {}),
      ...(record.controls ? { controls: record.controls } : {}),
    },
    now,
  );
  return true;
}
