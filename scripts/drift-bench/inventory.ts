import { initialSteps, type RequestRecord } from '../../src/domain/account-request';
import { Verifier } from '../../src/verify/verifier';

/** A READY account of the drift benchmarks' inventory (its id from 200000000000 + i). */
export function inventoryRecord(i: number, now: string): RequestRecord {
  const accountId = String(200_000_000_000 + i);
  return {
    schemaVersion: 1,
    id: `bench-${String(i).padStart(5, '0')}`,
    version: 1,
    status: 'READY',
    phase: 'release-quarantine',
    team: 'payments',
    accountId,
    spec: {
      accountName: `bench-${i}`,
      email: `aws+bench-${i}@example.com`,
      organizationalUnit: 'Workloads/NonProd',
      owner: { team: 'payments', email: 'payments-lead@example.com' },
      costCenter: 'CC-1234',
      budget: { monthlyLimitUsd: 500, thresholdsPercent: [80, 100] },
      access: [],
      tags: {},
    },
    handles: {},
    attempts: 0,
    nextCheckAt: now,
    createdAt: now,
    updatedAt: now,
    createdBy: 'bench',
    steps: initialSteps(),
  };
}

/**
 * Records when each verification starts, whichever verifier runs it (a sweep step makes its own);
 * remediation is off, so one verification per account. `nowMs`: the wall clock, or a virtual one.
 */
export function timeVerifications(nowMs: () => number): number[] {
  const starts: number[] = [];
  const verify: Verifier['verify'] = Reflect.get(Verifier.prototype, 'verify');
  Verifier.prototype.verify = function (this: Verifier, target, now) {
    starts.push(nowMs());
    return verify.call(this, target, now);
  };
  return starts;
}
