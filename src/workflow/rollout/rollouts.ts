import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { LoadedConfig } from '../../config/load';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { HasJobs } from '../../domain/ports/job-store';
import type { Page, RequestStore } from '../../domain/ports/request-store';
import type { Clock } from '../clock';
import { readDocument, updateDocument } from '../coordination/document';
import { runJobNow, scheduleJob } from '../engine/jobs';
import { requireRole, type Principal } from '../../domain/principal';
import { baselineParts, forEachReadyAccount, registerCurrentBaseline, versionOf } from './baseline-registry';
import { baselineVersionOf, diffBaselines, type BaselineDiff } from './baseline-version';
import { ROLLOUT_JOB, ROLLOUT_KIND, RolloutSchema, type Rollout, type WaveAccount } from './rollout-document';
import { planWaves, WavesSchema } from './wave-plan';

export const RolloutBodySchema = z
  .object({
    /** The version to roll out; default (and only choice) the one the factory's config describes. */
    toVersion: z.string().min(1).max(64).optional(),
    waves: WavesSchema.prefault({}),
    /** A wave whose failed accounts exceed this share halts the rollout (0: any failure halts). */
    failureThresholdPercent: z.number().min(0).max(100).default(0),
    /** Answer what would change where, and write nothing. */
    dryRun: z.boolean().default(false),
  })
  .strict();
export type RolloutBody = z.input<typeof RolloutBodySchema>;

export interface RolloutDeps {
  store: RequestStore & DocumentStore & HasJobs;
  config: LoadedConfig;
  clock: Clock;
}

export interface RolloutPlan {
  dryRun: true;
  toVersion: string;
  fromVersions: Record<string, number>;
  /** Per version accounts hold now: what differs from the target (unknown for unrecorded ones). */
  changes: Array<{ fromVersion: string; accounts: number; diff?: BaselineDiff }>;
  waves: Array<{ index: number; label: string; accounts: string[] }>;
}

const PLATFORM = ['platform'] as const;
const READERS = ['platform', 'auditor'] as const;

/** Accounts not yet on the version, oldest vend first, and how many hold each version. */
async function outdatedAccounts(store: RequestStore, toVersion: string) {
  const accounts: WaveAccount[] = [];
  const fromVersions: Record<string, number> = {};
  await forEachReadyAccount(store, (r) => {
    const version = versionOf(r);
    if (version === toVersion) return;
    fromVersions[version] = (fromVersions[version] ?? 0) + 1;
    accounts.push({ accountId: r.accountId, requestId: r.id, ou: r.spec.organizationalUnit });
  });
  return { accounts: accounts.reverse(), fromVersions };
}

/** The config's version; another requested version is a 400 (a worker deploys only its config). */
function targetVersion(deps: RolloutDeps, requested: string | undefined): string {
  const current = baselineVersionOf(deps.config).version;
  if (requested !== undefined && requested !== current) {
    throw new ValidationError([
      {
        path: 'toVersion',
        message: `the factory's config describes baseline ${current}, not ${requested}: deploy the config that describes ${requested} first (GET /v1/baselines shows the current one)`,
      },
    ]);
  }
  return current;
}

async function plan(deps: RolloutDeps, body: z.output<typeof RolloutBodySchema>) {
  const toVersion = targetVersion(deps, body.toVersion);
  const { accounts, fromVersions } = await outdatedAccounts(deps.store, toVersion);
  return { toVersion, fromVersions, waves: planWaves(accounts, body.waves) };
}

/** What a rollout would change where; writes nothing. */
export async function planRollout(
  deps: RolloutDeps,
  principal: Principal,
  input: RolloutBody,
): Promise<RolloutPlan> {
  requireRole(principal, PLATFORM, 'plan a rollout');
  const body = RolloutBodySchema.parse(input);
  const { toVersion, fromVersions, waves } = await plan(deps, body);
  const target = baselineVersionOf(deps.config).parts;
  const changes = await Promise.all(
    Object.entries(fromVersions).map(async ([fromVersion, count]) => {
      const parts = await baselineParts(deps.store, fromVersion);
      return { fromVersion, accounts: count, ...(parts ? { diff: diffBaselines(parts, target) } : {}) };
    }),
  );
  return {
    dryRun: true,
    toVersion,
    fromVersions,
    changes,
    waves: waves.map((w, i) => ({
      index: i + 1,
      label: w.label,
      accounts: w.accounts.map((a) => a.accountId),
    })),
  };
}

/** Every stored rollout, oldest first (paged through). */
export async function* storedRollouts(store: DocumentStore): AsyncGenerator<Rollout> {
  let cursor: string | undefined;
  do {
    const page = await store.listDocuments(ROLLOUT_KIND.kind, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const doc of page.items) {
      const parsed = RolloutSchema.safeParse(doc.body);
      if (parsed.success) yield parsed.data;
    }
    cursor = page.nextCursor;
  } while (cursor);
}

/** The first stored rollout (oldest first) that `matches`. */
async function findRollout(
  store: DocumentStore,
  matches: (rollout: Rollout) => boolean,
): Promise<Rollout | undefined> {
  for await (const rollout of storedRollouts(store)) if (matches(rollout)) return rollout;
  return undefined;
}

/** The running rollout (at most one runs at a time), other than `except`. */
export function findRunning(store: DocumentStore, except?: string): Promise<Rollout | undefined> {
  return findRollout(store, (r) => r.status === 'RUNNING' && r.id !== except);
}

/**
 * The running rollout, if it has yet to update this account (the account is in a wave not finished
 * yet). Its waves target the account through the OU it was in when the rollout was planned.
 */
export function rolloutHoldingAccount(store: DocumentStore, accountId: string): Promise<Rollout | undefined> {
  return findRollout(
    store,
    (r) =>
      r.status === 'RUNNING' &&
      r.waves.some(
        (w) =>
          (w.status === 'PENDING' || w.status === 'RUNNING') &&
          w.accounts.some((a) => a.accountId === accountId),
      ),
  );
}

/**
 * Starts a rollout: its job first, then its document (a job without a document ends on its own,
 * never the other way round); only one runs at a time.
 */
export async function startRollout(
  deps: RolloutDeps,
  principal: Principal,
  input: RolloutBody,
): Promise<Rollout> {
  requireRole(principal, PLATFORM, 'start a rollout');
  const body = RolloutBodySchema.parse(input);
  const running = await findRunning(deps.store);
  if (running)
    throw new ConflictError(
      'ROLLOUT_RUNNING',
      `rollout ${running.id} is running; halt it or wait for it to finish`,
    );
  const now = deps.clock.now();
  await registerCurrentBaseline(deps.store, deps.config, () => deps.clock.now());
  const { toVersion, fromVersions, waves } = await plan(deps, body);
  const id = `ro-${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  const rollout: Rollout = {
    schemaVersion: 1,
    id,
    toVersion,
    fromVersions,
    createdAt: now.toISOString(),
    createdBy: principal.name,
    status: waves.length > 0 ? 'RUNNING' : 'SUCCEEDED',
    failureThresholdPercent: body.failureThresholdPercent,
    waves: waves.map((w, i) => ({
      index: i + 1,
      label: w.label,
      accounts: w.accounts,
      status: 'PENDING',
      operations: [],
      results: {},
    })),
    ...(waves.length === 0 ? { finishedAt: now.toISOString() } : {}),
  };
  if (rollout.status === 'RUNNING') await scheduleJob(deps, ROLLOUT_JOB, id, {});
  await deps.store.putDocument(ROLLOUT_KIND.kind, id, RolloutSchema.parse(rollout), 0, now);
  return rollout;
}

export async function getRollout(deps: RolloutDeps, principal: Principal, id: string): Promise<Rollout> {
  requireRole(principal, READERS, 'read rollouts');
  const { body } = await readDocument(deps.store, ROLLOUT_KIND, id);
  if (!body) throw new NotFoundError(`rollout ${id}`);
  return body;
}

/** Oldest first, paginated. */
export async function listRollouts(
  deps: RolloutDeps,
  principal: Principal,
  query: { cursor?: string; limit: number },
): Promise<Page<Rollout>> {
  requireRole(principal, READERS, 'read rollouts');
  const page = await deps.store.listDocuments(ROLLOUT_KIND.kind, query);
  return {
    items: page.items.map((d) => RolloutSchema.parse(d.body)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/**
 * Stops a running rollout after the step in flight; operations already started finish in AWS. Its
 * job is made due, so it sees the halt and ends at once.
 */
export async function haltRollout(deps: RolloutDeps, principal: Principal, id: string, reason?: string) {
  requireRole(principal, PLATFORM, 'halt a rollout');
  const halted = await changeStatus(deps, id, (r) => {
    if (r.status !== 'RUNNING')
      throw new ConflictError('ROLLOUT_NOT_RUNNING', `rollout ${id} is ${r.status}`);
    r.status = 'HALTED';
    r.haltReason = reason ?? `halted by ${principal.name}`;
  });
  await runJobNow(deps, ROLLOUT_JOB, id, {});
  return halted;
}

/** Resumes a halted rollout where it stopped (a wave that failed stays failed; the next one starts). */
export async function resumeRollout(deps: RolloutDeps, principal: Principal, id: string) {
  requireRole(principal, PLATFORM, 'resume a rollout');
  const running = await findRunning(deps.store, id);
  if (running) throw new ConflictError('ROLLOUT_RUNNING', `rollout ${running.id} is running`);
  const resumed = await changeStatus(deps, id, (r) => {
    if (r.status !== 'HALTED') throw new ConflictError('ROLLOUT_NOT_HALTED', `rollout ${id} is ${r.status}`);
    if (r.toVersion !== baselineVersionOf(deps.config).version)
      throw new ConflictError(
        'BASELINE_CHANGED',
        `rollout ${id} deploys ${r.toVersion} but the config now describes ${baselineVersionOf(deps.config).version}; start a new rollout`,
      );
    r.status = 'RUNNING';
    delete r.haltReason;
  });
  // its job ended with the halt: started again (a worker's `ensure` would, at its next start)
  await runJobNow(deps, ROLLOUT_JOB, id, {});
  return resumed;
}

async function changeStatus(deps: RolloutDeps, id: string, change: (r: Rollout) => void): Promise<Rollout> {
  return updateDocument(
    deps.store,
    ROLLOUT_KIND,
    id,
    () => deps.clock.now(),
    (body) => {
      if (!body) throw new NotFoundError(`rollout ${id}`);
      change(body);
      return { write: true, result: body };
    },
  );
}
