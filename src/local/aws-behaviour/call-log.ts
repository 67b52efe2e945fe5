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
