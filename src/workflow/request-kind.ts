import type { RequestRecord } from '../domain/account-request';
import type { JobKind } from './engine/kind';
import { advance } from './reconciler';

/**
 * Account requests as a job kind: records in the RequestStore (claimed by `claimDue`, a
 * conditional lease on each record), advanced one phase step at a time by the reconciler.
 */
export function requestKind(options: { leaseMs?: number; batchSize?: number } = {}): JobKind<RequestRecord> {
  return {
    name: 'request',
    concurrency: (deps) => options.batchSize ?? deps.config.config.worker.batchSize,
    leaseMs: (deps) => options.leaseMs ?? deps.config.config.worker.leaseSeconds * 1000,
    claim: (deps, c) =>
      deps.store.claimDue({
        now: c.now,
        owner: c.owner,
        leaseMs: c.leaseMs,
        limit: c.limit,
        ...(c.excludeIds ? { excludeIds: c.excludeIds } : {}),
      }),
    dueBy: (deps, at) => deps.store.anyDue(at),
    idOf: (record) => record.id,
    advance,
  };
}
