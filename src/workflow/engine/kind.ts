import type { WorkflowDeps } from '../step';

/** What a kind's claim is asked for: due records, leased to `owner` until now + `leaseMs`. */
export interface KindClaim {
  now: Date;
  owner: string;
  leaseMs: number;
  limit: number;
  /** Groups at their concurrency limit in this worker: leave their records for later. */
  excludeGroups: readonly string[];
  /** Records this worker is still stepping (see `JobKind.idOf`): never claimed again meanwhile. */
  excludeIds?: readonly string[];
}

/**
 * A kind of durable job, as the worker runs it: claim due records under a lease, advance each by
 * one short step and save it (conditional on the version leased, releasing the lease). Kinds
 * stored as jobs are built with `storedJobKind` (stored-job-kind.ts); the account request kind
 * keeps its own records (workflow/request-kind.ts).
 */
export interface JobKind<R = unknown> {
  name: string;
  /** Records of this kind one worker advances at once (claims stop there). */
  concurrency(deps: WorkflowDeps): number;
  /** Records of one group (e.g. a team) one worker advances at once. */
  perGroup?(deps: WorkflowDeps): number;
  /** How long a worker that died mid-step keeps its records. */
  leaseMs(deps: WorkflowDeps): number;
  /**
   * Slow or external work (webhooks): the tick starts its steps and does not wait for them, so
   * other work never waits on it; they count against the limits until they end.
   */
  detached?: boolean;
  /**
   * Its records are jobs in the store's JobStore (`storedJobKind`): a tick asks the store once which
   * of these kinds have a job due (`JobStore.dueKinds`) and claims only for those.
   */
  inJobStore?: true;
  claim(deps: WorkflowDeps, claim: KindClaim): Promise<R[]>;
  /**
   * Whether a record of the kind may be due by `at` (never false when one is): for a worker
   * deciding whether it may stop. Kinds in the JobStore are asked through `JobStore.dueKinds`; a
   * kind with neither is taken to have work due.
   */
  dueBy?(deps: WorkflowDeps, at: Date): Promise<boolean>;
  groupOf?(record: R): string | undefined;
  /**
   * The record's id, so that a worker whose steps overlap never claims a record it is still
   * stepping (whose lease ran out while the step waited): without it, nothing is excluded.
   */
  idOf?(record: R): string;
  /**
   * One step of a leased record, saved with the lease released. Returns the saved record, or
   * undefined when another writer changed it first (the other writer's state wins).
   */
  advance(deps: WorkflowDeps, leased: R): Promise<R | undefined>;
  /** Gives a claimed record's lease back unstepped (claimed past its group's share). */
  release?(deps: WorkflowDeps, leased: R): Promise<void>;
  /**
   * Run by a worker before its first claim of the kind (again on its next tick if it threw), once
   * per worker process: creates the kind's standing jobs (the drift sweep), or the jobs records
   * stored before the kind existed need (running rollouts).
   */
  ensure?(deps: WorkflowDeps): Promise<void>;
}
