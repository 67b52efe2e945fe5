import { appendEvent, MAX_EVENTS_KEPT, noteChanges } from '../../../src/workflow/notify/request-events';
import { makeRequestRecord } from '../../support/fixtures';

const now = new Date('2026-11-23T12:00:00Z');

describe('request events', () => {
  it('notes a new request, each status change and each lifecycle change, numbered in order', () => {
    const record = makeRequestRecord({ status: 'QUEUED' });
    expect(noteChanges(undefined, record, now)).toBe(1);

    const before = structuredClone(record);
    record.status = 'READY';
    record.accountId = '111122223333';
    record.lifecycle = { state: 'ACTIVE' };
    expect(noteChanges(before, record, now)).toBe(1); // ACTIVE is where an account starts: no event

    const ready = structuredClone(record);
    record.lifecycle = { state: 'CLOSING', closeAfter: '2026-12-01T00:00:00Z' };
    expect(noteChanges(ready, record, now)).toBe(1);
    expect(noteChanges(structuredClone(record), record, now)).toBe(0);

    expect(record.events?.map((e) => [e.seq, e.type, e.detail.status ?? e.detail.state])).toEqual([
      [1, 'Account Request Status Changed', 'QUEUED'],
      [2, 'Account Request Status Changed', 'READY'],
      [3, 'Account Lifecycle Changed', 'CLOSING'],
    ]);
    expect(record.events?.[1]?.detail).toMatchObject({
      previousStatus: 'QUEUED',
      accountId: '111122223333',
      requestId: record.id,
      team: 'payments',
    });
    expect(record.events?.[2]?.detail).toMatchObject({ state: 'CLOSING', previousState: 'ACTIVE' });
  });

  it('keeps the latest events only, still counting', () => {
    const record = makeRequestRecord();
    for (let i = 0; i < MAX_EVENTS_KEPT + 5; i++) appendEvent(record, 'Drift Finding', { n: i }, now);
    expect(record.events).toHaveLength(MAX_EVENTS_KEPT);
    expect(record.events?.[0]?.seq).toBe(6);
    expect(record.events?.at(-1)?.seq).toBe(MAX_EVENTS_KEPT + 5);
  });
});
