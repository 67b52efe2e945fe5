import { randomUUID } from 'node:crypto';
import { initialSteps, type AccountSpec, type RequestRecord } from '../../src/domain/account-request';

export type RequestRecordOverrides = Partial<Omit<RequestRecord, 'spec'>> & { spec?: Partial<AccountSpec> };

/**
 * A valid, QUEUED request record with a unique id and email; `overrides` replace top-level fields,
 * and `spec` fields are merged into the default spec.
 */
export function makeRequestRecord(overrides: RequestRecordOverrides = {}): RequestRecord {
  const id = overrides.id ?? randomUUID();
  const createdAt = overrides.createdAt ?? '2025-01-01T00:00:00.000Z';
  const { spec, ...rest } = overrides;
  return {
    schemaVersion: 1,
    id,
    version: 1,
    status: 'QUEUED',
    phase: 'create-account',
    team: 'payments',
    spec: {
      accountName: `acct-${id.slice(0, 8)}`,
      email: `aws+${id}@example.com`,
      organizationalUnit: 'Workloads/Dev',
      owner: { team: 'payments', email: 'payments-lead@example.com' },
      costCenter: 'CC-1234',
      budget: { monthlyLimitUsd: 500, thresholdsPercent: [80, 100] },
      access: [{ group: 'payments-devs', permissionSet: 'Developer' }],
      tags: { env: 'dev' },
      ...spec,
    },
    handles: {},
    attempts: 0,
    nextCheckAt: createdAt,
    createdAt,
    updatedAt: createdAt,
    createdBy: 'token:payments',
    steps: initialSteps(),
    ...rest,
  };
}
