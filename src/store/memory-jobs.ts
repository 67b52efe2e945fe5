import type { JobClaim, JobRecord, JobStore } from '../domain/ports/job-store';
import type { Page } from '../domain/ports/request-store';
import { claimable, dueOrder, jobExists, leased, staleJob, validJob } from './job-rules';
import { decodeDocumentCursor, documentPage, pageSize, settle } from './store-rules';

/** Jobs in memory, with the versioning and lease rules of the durable stores (copied in and out). */
export class MemoryJobs implements JobStore {
  private readonly jobs = new Map<string, JobRecord>();

  createJob<S>(job: JobRecord<S>): Promise<JobRecord<S>> {
    return settle(() => {
      const key = `${job.kind}/${job.id}`;
      if (this.jobs.has(key)) throw jobExists(job.kind, job.id);
      const stored = validJob({ ...job, version: 1 });
      this.jobs.set(key, stored);
      return structuredClone(stored);
    });
  }

  getJob(kind: string, id: string): Promise<JobRecord | undefined> {
    const job = this.jobs.get(`${kind}/${id}`);
    return Promise.resolve(job ? structuredClone(job) : undefined);
  }

  listJobs(kind: string, query: { cursor?: string; limit: number }): Promise<Page<JobRecord>> {
    return settle(() => {
      const after = query.cursor === undefined ? undefined : decodeDocumentCursor(query.cursor);
      const rows = [...this.jobs.values()]
        .filter((j) => j.kind === kind && (after === undefined || j.id > after))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((j) => structuredClone(j));
      return documentPage(rows, pageSize(query.limit));
    });
  }

  claimJobs(claim: JobClaim): Promise<JobRecord[]> {
    return settle(() =>
      [...this.jobs.values()]
        .filter((j) => claimable(j, claim))
        .sort(dueOrder)
        .slice(0, Math.max(0, claim.limit))
        .map((j) => {
          const taken = leased(j, claim);
          this.jobs.set(`${j.kind}/${j.id}`, taken);
          return structuredClone(taken);
        }),
    );
  }

  dueKinds(kinds: readonly string[], now: Date): Promise<Set<string>> {
    return settle(() => {
      const asked = new Set(kinds);
      const due = new Set<string>();
      for (const job of this.jobs.values())
        if (asked.has(job.kind) && claimable(job, { kind: job.kind, now, owner: '', leaseMs: 0, limit: 1 }))
          due.add(job.kind);
      return due;
    });
  }

  saveJob<S>(job: JobRecord<S>): Promise<JobRecord<S>> {
    return settle(() => {
      const key = `${job.kind}/${job.id}`;
      if (this.jobs.get(key)?.version !== job.version) throw staleJob(job.kind, job.id);
      const stored = validJob({ ...job, version: job.version + 1 });
      this.jobs.set(key, stored);
      return structuredClone(stored);
    });
  }

  deleteJob(kind: string, id: string, expectedVersion: number): Promise<void> {
    return settle(() => {
      if (this.jobs.get(`${kind}/${id}`)?.version !== expectedVersion) throw staleJob(kind, id);
      this.jobs.delete(`${kind}/${id}`);
    });
  }
}
