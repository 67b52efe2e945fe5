import { appendFileSync } from 'node:fs';

/** What became of a mutating call. */
export type CallOutcome =
  /** moto carried it out and the caller got the answer. */
  | 'executed'
  /** moto carried it out, but the caller got an injected 503 instead of the answer. */
  | 'executed-lost'
  /** Refused the way AWS refuses it (quota, conflict, duplicate); moto never saw it. */
  | 'rejected'
  /** An injected fault (throttling, 503) before moto saw it. */
  | 'fault'
  /** moto answered with an error. */
  | 'failed';

export interface LoggedCall {
  seq: number;
  at: string;
  service: string;
  action: string;
  outcome: CallOutcome;
  status: number;
  /** The error code when refused (e.g. OperationInProgressException). */
  code?: string;
  /** Facts the tests count by: email, stack set name, operation id, account ids, request id. */
  detail: Record<string, string>;
}

/**
 * Every mutating call the proxy saw, in order; optionally also appended to a JSON-lines file
 * so a person (or a test in another process) can read it.
 */
export class CallLog {
  private readonly entries: LoggedCall[] = [];

  constructor(private readonly file?: string) {}

  add(entry: Omit<LoggedCall, 'seq' | 'at'>): void {
    const full: LoggedCall = { seq: this.entries.length + 1, at: new Date().toISOString(), ...entry };
    this.entries.push(full);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(full)}\n`);
  }

  all(): readonly LoggedCall[] {
    return this.entries;
  }

  /** Calls of `action` that moto carried out (whether or not the caller saw the answer). */
  executed(action: string, filter: (c: LoggedCall) => boolean = () => true): LoggedCall[] {
    return this.entries.filter(
      (c) => c.action === action && (c.outcome === 'executed' || c.outcome === 'executed-lost') && filter(c),
    );
  }

  /** Calls of `action` refused with `code` (e.g. OperationInProgressException). */
  rejected(action: string, code?: string): LoggedCall[] {
    return this.entries.filter(
      (c) => c.action === action && c.outcome === 'rejected' && (code === undefined || c.code === code),
    );
  }

  /** How many times each value of `detail[key]` occurs among executed `action` calls. */
  countBy(action: string, key: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.executed(action)) {
      const value = c.detail[key] ?? '';
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return counts;
  }
}

/** How many calls the proxy saw: in all, and by `service:action`. */
export interface CallCounts {
  total: number;
  byAction: Record<string, number>;
}

/**
 * Counts every call the proxy sees, read or write, answered or refused (faults included): what a
 * caller spends in AWS requests, where the CallLog keeps only the mutating calls' outcomes.
 */
export class CallCounter {
  private readonly counts = new Map<string, number>();
  private total = 0;

  add(service: string, action: string): void {
    const key = `${service}:${action}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
  }

  /** A copy of the counts so far. */
  snapshot(): CallCounts {
    return { total: this.total, byAction: Object.fromEntries(this.counts) };
  }
}

/** The calls made between two snapshots (`before` taken first), zero counts left out. */
export function callsBetween(before: CallCounts, after: CallCounts): CallCounts {
  const byAction: Record<string, number> = {};
  for (const [key, count] of Object.entries(after.byAction)) {
    const made = count - (before.byAction[key] ?? 0);
    if (made > 0) byAction[key] = made;
  }
  return { total: after.total - before.total, byAction };
}
