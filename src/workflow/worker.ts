import { randomUUID } from 'node:crypto';
import type { RequestRecord } from '../domain/account-request';
import type { JobKind } from './engine/kind';
import { jobKinds } from './job-kinds';
import type { WorkflowDeps } from './step';

export interface WorkerOptions {
  /** Identifies this worker's leases. */
  id?: string;
  /** The account requests' lease (default `worker.leaseSeconds`). */
  leaseMs?: number;
  /** Account requests claimed (and advanced concurrently) per tick (default `worker.batchSize`). */
  batchSize?: number;
  /** The kinds this worker runs (default: every registered kind, job-kinds.ts). */
  kinds?: ReadonlyArray<JobKind<unknown>>;
  /** Where errors of detached work (deliveries) go; they never fail a tick. */
  log?: { error(obj: object, msg: string): void };
}

/** Limits one tick to fewer records than the kinds' own concurrency (e.g. near a deadline). */
export interface TickBudget {
  /** At most this many records claimed per kind. */
  records?: number;
  /**
   * Start the claimed steps and return without waiting for them (the loop's mode, worker-loop.ts):
   * a record whose step ends is taken up again by the next tick instead of waiting for the slowest
   * step claimed with it. Steps that ended since the last tick are reported by this one.
   */
  overlap?: boolean;
  /** Claim only for these kinds (by name); the others wait for a later tick. */
  kinds?: ReadonlySet<string>;
}

export interface TickResult {
  /** Account requests claimed. */
  claimed: number;
  /** Account requests advanced (and saved) by this tick. */
  advanced: RequestRecord[];
  /** Records advanced per kind (detached kinds: started). */
  jobs: Record<string, number>;
  /**
   * The next tick may follow at once: something was claimed (with `overlap`: some kind claimed all
   * it was allowed, so more may be due).
   */
  busy: boolean;
  /** Steps started by an earlier overlapping tick that threw (see `TickBudget.overlap`). */
  failures: unknown[];
}

/** What `runKind` answers for a kind with nothing to claim (a fresh object: results are built on it). */
const nothingClaimed = () =>
  Promise.resolve({ claimed: 0, advanced: 0, saved: [] as unknown[], full: false });

/** A step started by an overlapping tick that has ended, not yet reported. */
type Ended = { kind: string; saved?: unknown; error?: unknown };

/** Records of one kind in flight in this worker, per group ('' for none). */
class InFlight {
  total = 0;
  readonly byGroup = new Map<string, number>();
  readonly running = new Set<Promise<unknown>>();
  /** The records being stepped, by id (kinds that name their records' ids). */
  readonly ids = new Set<string>();

  add(group: string, work: Promise<unknown>, id: string | undefined): void {
    this.total += 1;
    this.byGroup.set(group, (this.byGroup.get(group) ?? 0) + 1);
    this.running.add(work);
    if (id !== undefined) this.ids.add(id);
    void work.then(
      () => this.remove(group, work, id),
      () => this.remove(group, work, id),
    );
  }

  private remove(group: string, work: Promise<unknown>, id: string | undefined): void {
    if (id !== undefined) this.ids.delete(id);
    this.total -= 1;
    const left = (this.byGroup.get(group) ?? 1) - 1;
    if (left > 0) this.byGroup.set(group, left);
    else this.byGroup.delete(group);
    this.running.delete(work);
  }
}

/** The claimed records a group may still start (its share minus those in flight), and the rest. */
function withinGroupShare<R>(kind: JobKind<R>, claimed: R[], flight: InFlight, perGroup: number): [R[], R[]] {
  if (perGroup === Infinity) return [claimed, []];
  const taken = new Map(flight.byGroup);
  const kept: R[] = [];
  const over: R[] = [];
  for (const record of claimed) {
    const group = kind.groupOf?.(record) ?? '';
    const n = taken.get(group) ?? 0;
    if (group !== '' && n >= perGroup) over.push(record);
    else {
      taken.set(group, n + 1);
      kept.push(record);
    }
  }
  return [kept, over];
}

/**
 * The one scheduler of durable work. Each tick, for every registered kind at once: claim due
 * records under a lease (within the kind's concurrency, and its per-group share), advance each
 * by one short step, save it conditionally. Several workers (processes, Lambda invocations) may
 * tick against one store: the leases keep them off each other's records. `avf serve`,
 * `avf worker` and the Lambda worker call this tick and nothing else.
 */
export class Worker {
  readonly id: string;
  private readonly kinds: ReadonlyArray<JobKind<unknown>>;
  private readonly inFlight = new Map<string, InFlight>();
  /** Kinds this worker has claimed for, their `ensure` run first (once per worker, i.e. per process). */
  private readonly ensured = new Set<string>();
  /** Steps of overlapping ticks that have ended since the last tick. */
  private ended: Ended[] = [];
  /** Steps of overlapping ticks still running. */
  private readonly overlapping = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: WorkflowDeps,
    private readonly options: WorkerOptions = {},
  ) {
    this.id = options.id ?? `worker-${randomUUID().slice(0, 8)}`;
    this.kinds = options.kinds ?? jobKinds(options);
  }

  async tick(budget: TickBudget = {}): Promise<TickResult> {
    const kinds = budget.kinds ? this.kinds.filter((k) => budget.kinds?.has(k.name)) : this.kinds;
    const idle = await this.nothingDue(kinds);
    const runs = await Promise.allSettled(
      kinds.map((kind) => (idle.has(kind.name) ? nothingClaimed() : this.runKind(kind, budget))),
    );
    const failed = runs.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const result: TickResult = { claimed: 0, advanced: [], jobs: {}, busy: false, failures: [] };
    runs.forEach((run, i) => {
      if (run.status !== 'fulfilled') return;
      const name = kinds[i]!.name;
      result.jobs[name] = run.value.advanced;
      if (budget.overlap) {
        result.busy ||= !kinds[i]!.detached && run.value.full;
        if (name === 'request') result.claimed = run.value.claimed;
        return;
      }
      // detached work runs on in the background: it never makes the next tick come sooner
      result.busy ||= !kinds[i]!.detached && run.value.claimed > 0 && run.value.advanced > 0;
      if (name === 'request') {
        result.busy ||= run.value.claimed > 0;
        result.claimed = run.value.claimed;
        result.advanced = run.value.saved as RequestRecord[];
      }
    });
    if (budget.overlap) this.reportEnded(result);
    return result;
  }

  /**
   * The job-store kinds with no job due, from one look at the store, so that an idle tick does not
   * claim kind by kind. A kind's first tick claims regardless (its `ensure` runs then).
   */
  private async nothingDue(kinds: ReadonlyArray<JobKind<unknown>>): Promise<ReadonlySet<string>> {
    const asked = kinds.filter((k) => k.inJobStore && this.ensured.has(k.name)).map((k) => k.name);
    if (asked.length === 0) return new Set();
    const due = await this.deps.store.jobs.dueKinds(asked, this.deps.clock.now());
    return new Set(asked.filter((name) => !due.has(name)));
  }

  /**
   * Whether this worker has nothing to do for `ms` from now: no step of its own runs, every kind
   * has had its first claim, and no record of any kind falls due by then (one look per kind, as an
   * idle tick's). For a worker that may stop until its next invocation (the Lambda function).
   */
  async idleFor(ms: number): Promise<boolean> {
    if ([...this.inFlight.values()].some((flight) => flight.total > 0)) return false;
    if (this.kinds.some((k) => !this.ensured.has(k.name))) return false;
    const at = new Date(this.deps.clock.now().getTime() + ms);
    const stored = this.kinds.filter((k) => k.inJobStore).map((k) => k.name);
    const looks: Array<Promise<boolean>> = [
      stored.length > 0
        ? this.deps.store.jobs.dueKinds(stored, at).then((due) => due.size > 0)
        : Promise.resolve(false),
      ...this.kinds
        .filter((k) => !k.inJobStore)
        .map((k) => k.dueBy?.(this.deps, at) ?? Promise.resolve(true)),
    ];
    return !(await Promise.all(looks)).some(Boolean);
  }

  /** Adds the overlapping steps that ended since the last tick to `result`. */
  private reportEnded(result: TickResult): void {
    const ended = this.ended;
    this.ended = [];
    for (const e of ended) {
      if (e.error !== undefined) {
        result.failures.push(e.error);
        continue;
      }
      const kind = this.kinds.find((k) => k.name === e.kind);
      if (e.saved === undefined || !kind) continue;
      result.jobs[e.kind] = (result.jobs[e.kind] ?? 0) + 1;
      if (e.kind === 'request') result.advanced.push(e.saved as RequestRecord);
    }
  }

  /** The kinds of the overlapping steps that ended since the last tick. */
  endedKinds(): ReadonlySet<string> {
    return new Set(this.ended.map((e) => e.kind));
  }

  /** Resolves when one step an overlapping tick started ends; undefined when none runs. */
  oneEnds(): Promise<void> | undefined {
    if (this.overlapping.size === 0) return undefined;
    return Promise.race(this.overlapping).then(
      () => undefined,
      () => undefined,
    );
  }

  /** What ended since the last tick, once every step has ended (for the loop's last report). */
  async drain(): Promise<TickResult> {
    await this.settled();
    const result: TickResult = { claimed: 0, advanced: [], jobs: {}, busy: false, failures: [] };
    this.reportEnded(result);
    return result;
  }

  /** Waits for the detached work this worker started (before stopping, and in tests). */
  async settled(): Promise<void> {
    for (const flight of this.inFlight.values()) await Promise.allSettled([...flight.running]);
  }

  /** Keeps an overlapping tick's step until it ends, then its outcome for the next tick. */
  private overlap(kind: string, work: Promise<unknown>): void {
    const tracked = work.then(
      (saved) => void this.ended.push({ kind, saved }),
      (error: unknown) => void this.ended.push({ kind, error }),
    );
    this.overlapping.add(tracked);
    void tracked.then(() => this.overlapping.delete(tracked));
  }

  private flightOf(kind: JobKind<unknown>): InFlight {
    let flight = this.inFlight.get(kind.name);
    if (!flight) this.inFlight.set(kind.name, (flight = new InFlight()));
    return flight;
  }

  private async runKind(kind: JobKind<unknown>, budget: TickBudget) {
    const { deps } = this;
    if (!this.ensured.has(kind.name)) {
      await kind.ensure?.(deps);
      this.ensured.add(kind.name);
    }
    const flight = this.flightOf(kind);
    const limit = Math.min(budget.records ?? Infinity, kind.concurrency(deps) - flight.total);
    if (limit <= 0) return { claimed: 0, advanced: 0, saved: [], full: false };
    const perGroup = kind.perGroup?.(deps) ?? Infinity;
    const fullGroups = [...flight.byGroup].filter(([g, n]) => g !== '' && n >= perGroup).map(([g]) => g);
    const claimed = await kind.claim(deps, {
      now: deps.clock.now(),
      owner: this.id,
      leaseMs: kind.leaseMs(deps),
      limit,
      excludeGroups: fullGroups,
      excludeIds: [...flight.ids],
    });
    const [kept, over] = withinGroupShare(kind, claimed, flight, perGroup);
    // as many as it was allowed: more may be due
    const full = claimed.length >= limit;
    // claimed past a group's share in one claim: released at once for the next tick to take
    await Promise.all(over.map(async (record) => kind.release?.(deps, record)));
    const work = kept.map((record) => {
      const advancing = kind.advance(deps, record);
      flight.add(kind.groupOf?.(record) ?? '', advancing, kind.idOf?.(record));
      return advancing;
    });
    if (kind.detached) {
      for (const w of work)
        w.catch((err: unknown) => this.options.log?.error({ err, kind: kind.name }, 'job step failed'));
      return { claimed: kept.length, advanced: kept.length, saved: [], full };
    }
    if (budget.overlap) {
      for (const w of work) this.overlap(kind.name, w);
      return { claimed: kept.length, advanced: 0, saved: [], full };
    }
    const done = await Promise.allSettled(work);
    const failed = done.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const saved = done.flatMap((r) => (r.status === 'fulfilled' && r.value !== undefined ? [r.value] : []));
    return { claimed: kept.length, advanced: saved.length, saved, full };
  }
}
