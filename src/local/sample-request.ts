import type { AccountRequestBody } from '../domain/account-request';

/** The example request body of docs/http-api.md: what the demo vends and what tests submit. */
export const SAMPLE_REQUEST: AccountRequestBody = {
  accountName: 'payments-dev',
  email: 'aws+payments-dev@example.com',
  organizationalUnit: 'Workloads/NonProd',
  owner: { team: 'payments', email: 'payments-lead@example.com' },
  costCenter: 'CC-1234',
  budget: { monthlyLimitUsd: 500, thresholdsPercent: [50, 80, 100] },
  access: [{ group: 'payments-developers', permissionSet: 'Developer' }],
  tags: { environment: 'dev' },
};
