import type { Principal } from '../../../src/domain/principal';
import type { IntakeDeps } from '../../../src/workflow/intake';
import { EMAIL_ENTRY_KIND, readIndexState } from '../../../src/workflow/org-index/account-email-index';
import {
  INDEX_REFRESH_JOB,
  INDEX_REFRESH_JOB_ID,
  INDEX_REFRESH_KIND,
} from '../../../src/workflow/org-index/refresh-kind';
import { stepKind } from '../../support/job-steps';
import type { Harness } from '../workflow/harness';

export const platform: Principal = { role: 'platform', name: 'platform-engineer' };
export const HOUR = 3_600_000;

/** `n` accounts made outside the factory, as if long ago; their e-mails. */
export function existingAccounts(h: Harness, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const email = `Old-${i}@Example.com`;
    h.aws.organizations.addAccount({ name: `old-${i}`, email });
    return email;
  });
}

export const step = (h: Harness, owner = 'w1') => stepKind(h.deps, INDEX_REFRESH_KIND, owner);
export const job = (h: Harness) => h.store.jobs.getJob(INDEX_REFRESH_JOB, INDEX_REFRESH_JOB_ID);
export const entries = async (h: Harness) => h.store.countDocuments(EMAIL_ENTRY_KIND);

/** Steps the refresh until its walk has finished (the index's state records it). */
export async function refresh(h: Harness): Promise<void> {
  const before = (await readIndexState(h.store)).lastWalk?.finishedAt;
  for (let i = 0; i < 100; i++) {
    await step(h);
    if ((await readIndexState(h.store)).lastWalk?.finishedAt !== before) return;
    h.clock.advance(1_000);
  }
  throw new Error('the refresh did not finish');
}

export function intake(h: Harness): IntakeDeps {
  return { store: h.store, config: h.deps.config, clock: h.clock, accountDirectory: h.aws.organizations };
}

export const body = (email: string) => ({
  accountName: 'payments-new',
  email,
  organizationalUnit: 'Workloads/NonProd',
  owner: { team: 'payments', email: 'lead@example.com' },
  costCenter: 'CC-1234',
  tags: { environment: 'dev' },
});
