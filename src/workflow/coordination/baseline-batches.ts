import type { StackSetConfig } from '../../config/schema';
import { operationId } from '../../domain/operation-id';
import type { StackSetOperationStatus } from '../../domain/ports/aws';
import { durationShare, expectedHereMs, expectedMs, operationPollDelayMs, pollEveryMs } from '../backoff';
import { ALIGN_HORIZON_OPS, timeToCut } from './batch-cut';
import { lastAccountExpectedAt } from './create-account-slots';
import type { WorkflowDeps } from '../step';
import { STACKSET_BATCHES, type Batch, type BatchMember, type Batches } from './baseline-batch-document';
import { updateDocument } from './document';

/** How long one worker has to start (or poll) a batch before another may take over. */
const BUSY_MS = 30_000;
/**
 * A member of a batch someone is starting or checking looks again this soon: about the round trip
 * of the call being made, so it reads the answer as soon as it is in. Real time, never compressed
 * by `worker.timeScale`: a call's round trip does not shrink with the emulated durations, and
 * members looking every few milliseconds while a slow call runs would starve the very worker
 * making it (seen with three workers on the emulator: thousands of looks, no progress).
 */
const BUSY_LOOK_MS = 250;
/**
 * Members other than a batch's first, and accounts waiting for a batch, look this long after a
 * check is due: the first member makes the check and they read its answer in one look, instead of
 * all coming with it and again every BUSY_LOOK_MS while it runs. If the first member does not come
 * (it failed, its worker died), the first of them to come makes the check.
 */
const FOLLOW_MS = 1_000;
/** Ended batches nobody came back for (requests gone) are forgotten after a day. */
const FORGET_MS = 24 * 60 * 60_000;

/** What a member should do next with its StackSet's batch. */
export type BatchTurn =
  /** Not in a batch yet: waiting for the StackSet to go idle, a full batch or the window. */
  | { kind: 'pending'; waiting: number; lookAgainMs: number }
  /** This worker starts the batch now (CreateStackInstances with `batch.id`). */
  | { kind: 'start'; batch: Batch }
  /** This worker checks the batch's operation now. */
  | { kind: 'poll'; batch: Batch }
  /** Someone else is starting or checking it; look again later. */
  | { kind: 'wait'; batch: Batch; lookAgainMs: number }
  /** The operation ended; the member's own stack instances say whether it succeeded. */
  | { kind: 'ended'; batch: Batch };

export function batchOperationId(storeTag: string, stackSet: StackSetConfig, seq: number): string {
  return operationId(storeTag, stackSet.name, `v${stackSet.version}`, 'batch', seq);
}

/**
 * Baseline deployments of many requests share one CreateStackInstances per StackSet. Each request
 * joins its StackSet's document; a batch is cut from the pending accounts when the StackSet has no
 * operation of ours in flight, when `maxAccounts` wait, or when the oldest has waited the window.
 * The batch (and its OperationId) is persisted before anyone calls AWS, so a crash repeats the same
 * operation; one worker at a time starts or polls it and the others read the result.
 */
export class BaselineBatches {
  constructor(
    private readonly deps: WorkflowDeps,
    private readonly stackSet: StackSetConfig,
    private readonly regions: string[],
  ) {}

  private get scale(): number {
    return this.deps.config.config.worker.timeScale;
  }

  private update<R>(change: (body: Batches, now: Date) => { write: boolean; result: R }): Promise<R> {
    const now = () => this.deps.clock.now();
    return updateDocument(this.deps.store, STACKSET_BATCHES, this.stackSet.name, now, (body) =>
      change(body, now()),
    );
  }

  /**
   * Joins (once) and says what this member should do now. `attemptStartedAt` is when the request's
   * current attempt at the phase began: a batch that ended before it (a retry after a failure)
   * is history, and the member joins a new one.
   */
  async turn(member: Omit<BatchMember, 'since'>, attemptStartedAt: string): Promise<BatchTurn> {
    // the cut lines up only with a last account due within the horizon (batch-cut.ts)
    const opMs = expectedHereMs('baseline', this.deps.config.config.worker);
    const lastAccountAt = await lastAccountExpectedAt(
      this.deps,
      this.deps.clock.now(),
      ALIGN_HORIZON_OPS * opMs,
    );
    return this.update<BatchTurn>((body, now) => {
      const at = now.toISOString();
      let wrote = this.forget(body, now);
      let batch = body.batches.find((b) => b.members.some((m) => m.requestId === member.requestId));
      if (batch?.state === 'DONE' && (batch.finishedAt ?? '') < attemptStartedAt) {
        this.remove(body, batch, member.requestId);
        batch = undefined;
        wrote = true;
      }
      if (!batch) {
        if (!body.pending.some((m) => m.requestId === member.requestId)) {
          body.pending.push({ ...member, since: at });
          body.incoming = body.incoming.filter((i) => i.requestId !== member.requestId);
          wrote = true;
        }
        const cut = this.cut(body, now, lastAccountAt);
        wrote ||= cut !== undefined;
        batch = cut?.members.some((m) => m.requestId === member.requestId) ? cut : undefined;
        if (!batch) {
          const lookAgainMs = this.untilNextPoll(body, now, member.requestId);
          return { write: wrote, result: { kind: 'pending', waiting: body.pending.length, lookAgainMs } };
        }
      }
      if (batch.state === 'DONE') return { write: wrote, result: { kind: 'ended', batch } };
      const free = batch.busyUntil === undefined || batch.busyUntil <= at;
      if (free && (batch.state === 'STARTING' || this.pollDue(batch, now))) {
        batch.busyUntil = new Date(now.getTime() + BUSY_MS).toISOString();
        const kind = batch.state === 'STARTING' ? 'start' : 'poll';
        return { write: true, result: { kind, batch: structuredClone(batch) } };
      }
      const lookAgainMs = free
        ? (this.untilPoll(batch, now, member.requestId) ?? pollEveryMs('baseline') * this.scale)
        : BUSY_LOOK_MS;
      return { write: wrote, result: { kind: 'wait', batch, lookAgainMs } };
    });
  }

  /**
   * The request is on its way to the baseline phase (its account exists): the StackSet will wait
   * for it, up to the window, before it cuts a batch.
   */
  expect(requestId: string): Promise<void> {
    return this.update((body, now) => {
      if (body.incoming.some((i) => i.requestId === requestId)) return { write: false, result: undefined };
      body.incoming.push({ requestId, since: now.toISOString() });
      return { write: true, result: undefined };
    });
  }

  /** The request will not arrive (it failed before the baseline). */
  unexpect(requestId: string): Promise<void> {
    return this.update((body) => {
      const before = body.incoming.length;
      body.incoming = body.incoming.filter((i) => i.requestId !== requestId);
      return { write: body.incoming.length !== before, result: undefined };
    });
  }

  /** CreateStackInstances returned: the batch runs under `operationId`, first checked when such operations usually end. */
  started(batchId: string, operationId: string, requestId: string): Promise<number | undefined> {
    return this.change<number | undefined>(batchId, (batch, now) => {
      batch.state = 'RUNNING';
      batch.operationId = operationId;
      batch.checkedAt = now;
      batch.checks = 0;
      batch.pollAt = this.nextPoll(now, 0);
      delete batch.busyUntil;
      return this.untilPoll(batch, new Date(now), requestId);
    });
  }

  /** A poll found the operation still in flight (or a call failed): free it for the next poll. */
  checked(batchId: string, requestId: string): Promise<number | undefined> {
    return this.change<number | undefined>(batchId, (batch, now) => {
      batch.checkedAt = now;
      batch.checks = (batch.checks ?? 0) + 1;
      batch.pollAt = this.nextPoll(now, batch.checks);
      delete batch.busyUntil;
      return this.untilPoll(batch, new Date(now), requestId);
    });
  }

  private nextPoll(now: string, checks: number): string {
    const timing = { everyMs: pollEveryMs('baseline'), expectedMs: expectedMs('baseline') };
    const delay =
      operationPollDelayMs(timing, checks, this.deps.random, durationShare(this.deps.config.config.worker)) *
      this.scale;
    return new Date(Date.parse(now) + delay).toISOString();
  }

  private pollDue(batch: Batch, now: Date): boolean {
    if (batch.pollAt !== undefined) return batch.pollAt <= now.toISOString();
    return (
      batch.checkedAt === undefined ||
      now.getTime() - Date.parse(batch.checkedAt) >= pollEveryMs('baseline') * this.scale
    );
  }

  /**
   * How long until `requestId` (a member, or a request waiting for a batch) should next look at
   * the batch, if it has a check coming: its first member when the check is due, to make it; the
   * others FOLLOW_MS later, to read its answer.
   */
  private untilPoll(batch: Batch, now: Date, requestId: string): number | undefined {
    if (batch.pollAt === undefined) return undefined;
    const follows = batch.members[0]?.requestId !== requestId;
    const due = Date.parse(batch.pollAt) + (follows ? FOLLOW_MS * this.scale : 0);
    return Math.max(BUSY_LOOK_MS, due - now.getTime());
  }

  /**
   * Until the earliest next check of a running batch: a pending member has nothing to learn before
   * (a batch is cut when it ends). With none running, soon: the window or the last arrival cuts one.
   */
  private untilNextPoll(body: Batches, now: Date, requestId: string): number {
    const waits = body.batches
      .filter((b) => b.state === 'RUNNING')
      .map((b) => this.untilPoll(b, now, requestId))
      .filter((ms): ms is number => ms !== undefined);
    return waits.length > 0 ? Math.min(...waits) : pollEveryMs('baseline') * this.scale;
  }

  /**
   * The operation ended (or could not start). `judged`: the members' instance problems by request
   * id, read for the whole batch at once; every other member reads its own instances next.
   */
  ended(
    batchId: string,
    status: StackSetOperationStatus | 'NOT_STARTED',
    reason?: string,
    judged: ReadonlyMap<string, string[]> = new Map(),
  ): Promise<void> {
    return this.change(batchId, (batch, now) => {
      batch.state = 'DONE';
      batch.status = status;
      batch.finishedAt = now;
      delete batch.busyUntil;
      if (reason !== undefined) batch.reason = reason;
      for (const member of batch.members) {
        const problems = judged.get(member.requestId);
        if (problems) member.instanceProblems = problems;
      }
    });
  }

  /** The member has its answer: it leaves the batch, and an emptied batch is dropped. */
  leave(batchId: string, requestId: string): Promise<void> {
    return this.update((body) => {
      const batch = body.batches.find((b) => b.id === batchId);
      if (!batch || !batch.members.some((m) => m.requestId === requestId))
        return { write: false, result: undefined };
      this.remove(body, batch, requestId);
      return { write: true, result: undefined };
    });
  }

  private remove(body: Batches, batch: Batch, requestId: string): void {
    batch.members = batch.members.filter((m) => m.requestId !== requestId);
    if (batch.state === 'DONE' && batch.members.length === 0)
      body.batches = body.batches.filter((b) => b !== batch);
  }

  private change<R = void>(batchId: string, edit: (batch: Batch, now: string) => R): Promise<R | undefined> {
    return this.update((body, now) => {
      const batch = body.batches.find((b) => b.id === batchId);
      if (!batch) return { write: false, result: undefined };
      return { write: true, result: edit(batch, now.toISOString()) };
    });
  }

  /** Cuts a batch from the pending accounts if it is time to (batch-cut.ts); returns it. */
  private cut(body: Batches, now: Date, lastAccountAt: Date | undefined): Batch | undefined {
    const worker = this.deps.config.config.worker;
    if (!timeToCut(body, now, lastAccountAt, worker)) return undefined;
    body.seq += 1;
    const batch: Batch = {
      id: batchOperationId(this.deps.storeTag, this.stackSet, body.seq),
      members: body.pending.splice(0, worker.baselineBatching.maxAccounts),
      regions: this.regions,
      state: 'STARTING',
      createdAt: now.toISOString(),
    };
    body.batches.push(batch);
    return batch;
  }

  private forget(body: Batches, now: Date): boolean {
    const before = body.batches.length;
    body.batches = body.batches.filter(
      (b) => b.state !== 'DONE' || now.getTime() - Date.parse(b.finishedAt ?? b.createdAt) < FORGET_MS,
    );
    return body.batches.length !== before;
  }
}

/** The batches of one configured StackSet, deployed to its regions (the governed ones by default). */
export function baselineBatches(deps: WorkflowDeps, stackSet: StackSetConfig): BaselineBatches {
  return new BaselineBatches(deps, stackSet, stackSet.regions ?? deps.config.config.governedRegions);
}

/** Phases between CreateAccount and the baseline: a request in them is on its way to a batch. */
const ON_THE_WAY: readonly string[] = ['place-account', 'await-access', 'harden'];

/**
 * Keeps each StackSet's `incoming` list in step with a request's phase change: announced when its
 * account exists, withdrawn if it fails before it reaches the baseline.
 */
export async function announceToBatches(
  deps: WorkflowDeps,
  before: { id: string; phase: string },
  after: { phase: string; status: string },
): Promise<void> {
  if (!deps.config.config.worker.baselineBatching.enabled) return;
  const arrives = !ON_THE_WAY.includes(before.phase) && ON_THE_WAY.includes(after.phase);
  const dropsOut = ON_THE_WAY.includes(before.phase) && after.status === 'FAILED';
  if (!arrives && !dropsOut) return;
  for (const stackSet of deps.config.config.stackSets) {
    const batches = baselineBatches(deps, stackSet);
    await (arrives ? batches.expect(before.id) : batches.unexpect(before.id));
  }
}
