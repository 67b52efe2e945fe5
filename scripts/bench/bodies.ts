import type { AccountRequestBody } from '../../src/domain/account-request';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';

/** The sample request of docs/http-api.md as the i-th of a series: its own account name and email. */
export function benchRequestBody(series: string, i: number): AccountRequestBody {
  return { ...SAMPLE_REQUEST, accountName: `${series}-${i}`, email: `aws+${series}-${i}@example.com` };
}

/** The admin token the bench's factories and HTTP targets accept (AVF_ADMIN_TOKEN). */
export const BENCH_TOKEN = 'avf-bench-admin-token-0123456789abcdef';

/** Rate limits no bench reaches: the benchmark measures the factory, not the limiter's refusals. */
export const UNLIMITED_RATE = { perToken: 100_000_000, perIp: 100_000_000 };
