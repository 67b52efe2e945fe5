import { randomUUID } from 'node:crypto';
import type { RequestRecord } from '../domain/account-request';
import { advanceClosures } from './lifecycle/close-tick';
import { advanceRedeploys } from './lifecycle/redeploy-tick';
import { advance } from './reconciler';
import type { WorkflowDeps } from './step';

export interface WorkerOptions {
  /** Identifies this worker's leases. */
  id?: string;
  leaseMs?: number;
  /** Records claimed (and advanced concurrently) per tick. */
  batchSize?: number;
}

export interface TickResult {
  claimed: number;
  advanced: RequestRecord[];
  /** Account closures advanced by a stage (lifecycle/close-tick.ts). */
  closures?: number;
  /** Baseline redeploys after moves advanced by a stage (lifecycle/redeploy-tick.ts). */
  redeploys?: number;
}

/**
 * Claims due requests under a lease and advances each by one step. Several workers (processes)
 * may tick against one store: the lease keeps them off each other's records.
 */
export class Worker {
  readonly id: string;
  private readonly leaseMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly deps: WorkflowDeps,
    options: WorkerOptions = {},
  ) {
    this.id = options.id ?? `worker-${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? deps.config.config.worker.leaseSeconds * 1000;
    this.batchSize = options.batchSize ?? deps.config.config.worker.batchSize;
  }

  async tick(): Promise<TickResult> {
    const claimed = await this.deps.store.claimDue({
      now: this.deps.clock.now(),
      owner: this.id,
      leaseMs: this.leaseMs,
      limit: this.batchSize,
    });
    const results = await Promise.all(claimed.map((record) => advance(this.deps, record)));
    const closures = await advanceClosures(this.deps, this.id);
    const redeploys = await advanceRedeploys(this.deps, this.id);
    return {
      claimed: claimed.length,
      advanced: results.filter((r): r is RequestRecord => r !== undefined),
      ...(closures > 0 ? { closures } : {}),
      ...(redeploys > 0 ? { redeploys } : {}),
    };
  }
}
