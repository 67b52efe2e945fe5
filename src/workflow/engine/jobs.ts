import { AvfError, StaleRecordError } from '../../domain/errors';
import type { HasJobs, JobRecord } from '../../domain/ports/job-store';
import type { Clock } from '../clock';

interface JobDeps {
  store: HasJobs;
  clock: Clock;
}

/** Tries of a read-modify-write that other writers keep beating. */
const TRIES = 20;

/**
 * Stores a new job of a kind, due at `at` (default now). An existing job of that id is replaced
 * when `replace` says so (default: when it has ended), else `replace` throws the caller's 409.
 * Conditional either way: of two schedulers at once, one wins.
 */
export async function scheduleJob<S>(
  deps: JobDeps,
  kind: string,
  id: string,
  state: S,
  options: {
    at?: Date;
    /** Stored but not due until a person schedules it (e.g. a change waiting for approval). */
    paused?: boolean;
    group?: string;
    detail?: string;
    replace?: (existing: JobRecord) => boolean;
  } = {},
): Promise<JobRecord<S>> {
  const now = deps.clock.now().toISOString();
  const job: JobRecord<S> = {
    kind,
    id,
    version: 0,
    ...(options.paused ? {} : { nextCheckAt: (options.at ?? deps.clock.now()).toISOString() }),
    attempts: 0,
    state,
    createdAt: now,
    updatedAt: now,
    ...(options.group ? { group: options.group } : {}),
    ...(options.detail ? { detail: options.detail } : {}),
  };
  const existing = await deps.store.jobs.getJob(kind, id);
  if (!existing) return deps.store.jobs.createJob(job);
  const replace = options.replace ?? ((j: JobRecord) => j.ended !== undefined);
  if (!replace(existing)) {
    throw new AvfError('JOB_RUNNING', `${kind} ${id} is still running`);
  }
  return deps.store.jobs.saveJob({ ...job, version: existing.version, createdAt: existing.createdAt });
}

/**
 * Read-modify-write of one job: `edit` changes a copy and says whether to write it; a lost race
 * reads again. Returns the job as it stands, or undefined when there is none.
 */
export async function updateJob<S = unknown>(
  deps: JobDeps,
  kind: string,
  id: string,
  edit: (job: JobRecord<S>) => boolean,
): Promise<JobRecord<S> | undefined> {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const current = (await deps.store.jobs.getJob(kind, id)) as JobRecord<S> | undefined;
    if (!current) return undefined;
    const job = structuredClone(current);
    if (!edit(job)) return current;
    try {
      return await deps.store.jobs.saveJob({ ...job, updatedAt: deps.clock.now().toISOString() });
    } catch (e) {
      if (!(e instanceof StaleRecordError)) throw e;
    }
  }
  throw new AvfError('STORE_BUSY', `job ${kind}/${id}: other writers kept winning`, { retryable: true });
}

/** What a second creator of one job meets: it exists now, or runs. */
const RACES = ['JOB_EXISTS', 'JOB_RUNNING'];

/**
 * Creates a standing job (the drift sweep, the cost collector) or the job a record needs, unless
 * one runs already; an ended one is started again. Of two workers at once, one creates it and the
 * other adopts it (no error).
 */
export async function ensureJob<S>(deps: JobDeps, kind: string, id: string, state: S, detail?: string) {
  const existing = await deps.store.jobs.getJob(kind, id);
  if (existing && !existing.ended) return;
  try {
    await scheduleJob(deps, kind, id, state, detail ? { detail } : {});
  } catch (e) {
    const lostRace = e instanceof StaleRecordError || (e instanceof AvfError && RACES.includes(e.code));
    if (!lostRace) throw e;
  }
}

/**
 * Makes a job due now, started again if it had ended, created (with `state`) if missing: how a
 * person's request (a sweep now, a halt, a resume) reaches the job at once. A worker holding it
 * meanwhile saves stale and releases it, so it runs again at once.
 */
export async function runJobNow<S>(deps: JobDeps, kind: string, id: string, state: S): Promise<void> {
  const now = deps.clock.now().toISOString();
  const found = await updateJob(deps, kind, id, (job) => {
    delete job.ended;
    job.nextCheckAt = now;
    job.attempts = 0;
    return true;
  });
  if (!found) await ensureJob(deps, kind, id, state);
}

/** Every job of a kind (paged through). */
export async function allJobs(deps: { store: HasJobs }, kind: string): Promise<JobRecord[]> {
  const jobs: JobRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.jobs.listJobs(kind, { limit: 100, ...(cursor ? { cursor } : {}) });
    jobs.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return jobs;
}
