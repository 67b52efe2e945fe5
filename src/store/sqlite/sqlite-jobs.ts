import type Database from 'better-sqlite3';
import type { JobClaim, JobRecord, JobStore } from '../../domain/ports/job-store';
import type { Page } from '../../domain/ports/request-store';
import { claimable, jobExists, leased, staleJob, validJob } from '../job-rules';
import { decodeDocumentCursor, documentPage, pageSize, settle } from '../store-rules';

interface JobRow {
  job: string;
}

const parse = (row: JobRow): JobRecord => JSON.parse(row.job) as JobRecord;

const columns = (job: JobRecord) => ({
  kind: job.kind,
  id: job.id,
  version: job.version,
  next_check_at: job.nextCheckAt ?? null,
  lease_until: job.leaseUntil ?? null,
  grp: job.group ?? null,
  job: JSON.stringify(job),
});

/** Jobs in the `jobs` table: the record as JSON, beside copies of the fields claims filter on. */
export class SqliteJobs implements JobStore {
  constructor(private readonly db: Database.Database) {}

  createJob<S>(job: JobRecord<S>): Promise<JobRecord<S>> {
    return settle(() => {
      const stored = validJob({ ...job, version: 1 });
      const changes = this.db
        .prepare(
          `INSERT INTO jobs (kind, id, version, next_check_at, lease_until, grp, job)
           VALUES (@kind, @id, @version, @next_check_at, @lease_until, @grp, @job) ON CONFLICT DO NOTHING`,
        )
        .run(columns(stored)).changes;
      if (changes !== 1) throw jobExists(job.kind, job.id);
      return stored;
    });
  }

  getJob(kind: string, id: string): Promise<JobRecord | undefined> {
    return settle(() => {
      const row = this.db
        .prepare<[string, string], JobRow>('SELECT job FROM jobs WHERE kind = ? AND id = ?')
        .get(kind, id);
      return row ? parse(row) : undefined;
    });
  }

  listJobs(kind: string, query: { cursor?: string; limit: number }): Promise<Page<JobRecord>> {
    return settle(() => {
      const after = query.cursor === undefined ? '' : decodeDocumentCursor(query.cursor);
      const limit = pageSize(query.limit);
      const rows = this.db
        .prepare<[string, string, number], JobRow>(
          'SELECT job FROM jobs WHERE kind = ? AND id > ? ORDER BY id LIMIT ?',
        )
        .all(kind, after, limit + 1)
        .map(parse);
      return documentPage(rows, limit);
    });
  }

  claimJobs(claim: JobClaim): Promise<JobRecord[]> {
    const now = claim.now.toISOString();
    const take = (): JobRecord[] => {
      const excluded = claim.excludeGroups ?? [];
      const due = this.db
        .prepare<unknown[], JobRow>(
          `SELECT job FROM jobs
           WHERE kind = ? AND next_check_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
             ${excluded.length ? `AND (grp IS NULL OR grp NOT IN (${excluded.map(() => '?').join(', ')}))` : ''}
           ORDER BY next_check_at, id LIMIT ?`,
        )
        .all(claim.kind, now, now, ...excluded, Math.max(0, claim.limit))
        .map(parse)
        .filter((job) => claimable(job, claim));
      return due.map((job) => {
        const taken = leased(job, claim);
        this.update(taken, job.version);
        return taken;
      });
    };
    // IMMEDIATE takes the write lock before the SELECT, so no other process can lease the same rows;
    // most claims find nothing due, and a look without the lock answers those.
    return settle(() => (this.anyDue(claim.kind, now) ? this.db.transaction(take).immediate() : []));
  }

  dueKinds(kinds: readonly string[], now: Date): Promise<Set<string>> {
    const at = now.toISOString();
    return settle(() => new Set(kinds.filter((kind) => this.anyDue(kind, at))));
  }

  saveJob<S>(job: JobRecord<S>): Promise<JobRecord<S>> {
    return settle(() => {
      const stored = validJob({ ...job, version: job.version + 1 });
      if (!this.update(stored, job.version)) throw staleJob(job.kind, job.id);
      return stored;
    });
  }

  deleteJob(kind: string, id: string, expectedVersion: number): Promise<void> {
    return settle(() => {
      const changes = this.db
        .prepare('DELETE FROM jobs WHERE kind = ? AND id = ? AND version = ?')
        .run(kind, id, expectedVersion).changes;
      if (changes !== 1) throw staleJob(kind, id);
    });
  }

  /**
   * Whether a job of the kind may be due: one index seek, outside any transaction, so a claim that
   * finds nothing takes no write lock (each worker claims every kind every tick).
   */
  private anyDue(kind: string, now: string): boolean {
    return (
      this.db
        .prepare<[string, string, string], { due: number }>(
          `SELECT 1 AS due FROM jobs
           WHERE kind = ? AND next_check_at <= ? AND (lease_until IS NULL OR lease_until <= ?) LIMIT 1`,
        )
        .get(kind, now, now) !== undefined
    );
  }

  private update(job: JobRecord, expected: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE jobs SET version = @version, next_check_at = @next_check_at, lease_until = @lease_until,
             grp = @grp, job = @job WHERE kind = @kind AND id = @id AND version = @expected`,
        )
        .run({ ...columns(job), expected }).changes === 1
    );
  }
}
