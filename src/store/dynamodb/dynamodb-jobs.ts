import type { DynamoTable, Item } from '../../aws/dynamodb-table';
import type { JobClaim, JobRecord, JobStore } from '../../domain/ports/job-store';
import type { Page } from '../../domain/ports/request-store';
import { claimable, jobExists, leased, staleJob, validJob } from '../job-rules';
import { listKind } from './kind-listing';
import { versionIs } from './request-items';
import { NEW_ITEM, dueSortKey, dueBy, jobKey, jobsPartition } from './table-schema';

/** Due candidates read per query page while claiming. */
const CLAIM_PAGE = 25;

/** A job as an item: listed by id in `all`, and in `due` by time while it is scheduled. */
function jobItem(job: JobRecord): Item {
  return {
    ...jobKey(job.kind, job.id),
    version: job.version,
    job: JSON.stringify(job),
    allPk: jobsPartition(job.kind),
    listSk: job.id,
    ...(job.leaseUntil ? { leaseUntil: job.leaseUntil } : {}),
    ...(job.group ? { jobGroup: job.group } : {}),
    ...(job.nextCheckAt
      ? { duePk: jobsPartition(job.kind), dueSk: dueSortKey(job.nextCheckAt, job.id) }
      : {}),
  };
}

const jobOf = (item: Item): JobRecord => JSON.parse(String(item.job)) as JobRecord;

/** Jobs in the store's table; claims Query the `due` index and lease with conditional puts. */
export class DynamoDbJobs implements JobStore {
  constructor(private readonly table: DynamoTable) {}

  async createJob<S>(job: JobRecord<S>): Promise<JobRecord<S>> {
    const stored = validJob({ ...job, version: 1 });
    if (!(await this.table.put(jobItem(stored), NEW_ITEM))) throw jobExists(job.kind, job.id);
    return stored;
  }

  async getJob(kind: string, id: string): Promise<JobRecord | undefined> {
    const item = await this.table.get(jobKey(kind, id));
    return item ? jobOf(item) : undefined;
  }

  listJobs(kind: string, query: { cursor?: string; limit: number }): Promise<Page<JobRecord>> {
    return listKind(
      this.table,
      { partition: jobsPartition(kind), keyOf: (id) => jobKey(kind, id), rowOf: jobOf },
      query,
    );
  }

  async claimJobs(claim: JobClaim): Promise<JobRecord[]> {
    const claimed: JobRecord[] = [];
    if (claim.limit < 1) return claimed;
    const now = claim.now.toISOString();
    const candidates = this.table.queryAll({
      ...dueBy(jobsPartition(claim.kind), now),
      filter: {
        expression: 'attribute_not_exists(leaseUntil) OR leaseUntil <= :now',
        values: { ':now': now },
      },
      limit: CLAIM_PAGE,
    });
    for await (const item of candidates) {
      const job = jobOf(item);
      if (!claimable(job, claim)) continue;
      const taken = leased(job, claim);
      if (await this.table.put(jobItem(taken), versionIs(job.version))) claimed.push(taken);
      if (claimed.length >= claim.limit) break;
    }
    return claimed;
  }

  /** One item of each kind's `due` index, leased or not (a filter would apply after the limit). */
  async dueKinds(kinds: readonly string[], now: Date): Promise<Set<string>> {
    const at = now.toISOString();
    const found = await Promise.all(
      kinds.map(async (kind) => {
        const page = await this.table.query({ ...dueBy(jobsPartition(kind), at), limit: 1 });
        return page.items.length > 0 ? [kind] : [];
      }),
    );
    return new Set(found.flat());
  }

  async saveJob<S>(job: JobRecord<S>): Promise<JobRecord<S>> {
    const stored = validJob({ ...job, version: job.version + 1 });
    if (!(await this.table.put(jobItem(stored), versionIs(job.version)))) throw staleJob(job.kind, job.id);
    return stored;
  }

  async deleteJob(kind: string, id: string, expectedVersion: number): Promise<void> {
    if (!(await this.table.delete(jobKey(kind, id), versionIs(expectedVersion)))) throw staleJob(kind, id);
  }
}
