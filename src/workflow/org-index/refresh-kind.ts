import { z } from 'zod';
import { AwsError } from '../../domain/errors';
import type { AccountsPage } from '../../domain/ports/aws';
import { ensureJob } from '../engine/jobs';
import { proceed, waitUntil, type Outcome } from '../engine/outcome';
import { storedJobKind } from '../engine/stored-job-kind';
import type { WorkflowDeps } from '../step';
import { indexAccounts, readIndexState, recordWalk } from './account-email-index';

export const INDEX_REFRESH_JOB = 'org-account-index';
export const INDEX_REFRESH_JOB_ID = 'organisation';

/** Pages of ListAccounts one step reads (20 accounts each): about a second at AWS's rate. */
export const PAGES_PER_STEP = 10;

/** A walk under way: the token of its next page, saved after every step, so a crash resumes there. */
const WalkSchema = z
  .object({
    startedAt: z.string(),
    nextToken: z.string().optional(),
    pages: z.number().int().min(0),
    accounts: z.number().int().min(0),
    added: z.number().int().min(0),
  })
  .strict();
const RefreshStateSchema = z.object({ walk: WalkSchema.optional() }).strict();
type RefreshState = z.infer<typeof RefreshStateSchema>;
type Walk = z.infer<typeof WalkSchema>;

/** When the walk after one that started at `startedAt` is due (the period scaled as every delay). */
function nextDue(deps: WorkflowDeps, startedAt: string): Date {
  const worker = deps.config.config.worker;
  return new Date(Date.parse(startedAt) + worker.accountIndexRefreshMinutes * 60_000 * worker.timeScale);
}

/** Ends a walk: the index's state records it, and the job waits for the next one. */
async function finishWalk(deps: WorkflowDeps, state: RefreshState, walk: Walk, now: Date): Promise<Outcome> {
  const finished = { ...walk, finishedAt: deps.clock.now().toISOString() };
  delete finished.nextToken;
  const entries = await recordWalk(deps.store, finished, deps.clock.now());
  delete state.walk;
  const due = nextDue(deps, walk.startedAt);
  return waitUntil(
    `indexed ${walk.accounts} accounts in ${walk.pages} pages (${walk.added} e-mails new, ${entries} in all); next refresh ${due.toISOString()}`,
    due,
    now,
    deps.config.config.worker.timeScale,
  );
}

/** A page of ListAccounts, or the error of a token AWS refuses (any other error is thrown). */
async function readPage(deps: WorkflowDeps, token: string | undefined): Promise<AccountsPage | AwsError> {
  try {
    return await deps.aws.organizations.listAccountsPage(token);
  } catch (e) {
    if (e instanceof AwsError && !e.retryable && token !== undefined) return e;
    throw e;
  }
}

/**
 * One step of the refresh: starts a walk when one is due, then reads up to PAGES_PER_STEP pages
 * of ListAccounts (each a call through the factory's Organizations rate limit) and indexes the
 * e-mails not indexed yet. A token AWS refuses (expired, after a long stop) starts the walk over.
 */
export async function refreshAccountIndex(
  deps: WorkflowDeps,
  state: RefreshState,
  now: Date,
): Promise<Outcome> {
  if (!state.walk) {
    const last = (await readIndexState(deps.store)).lastWalk;
    const due = last ? nextDue(deps, last.startedAt) : now;
    if (due > now)
      return waitUntil(`next refresh ${due.toISOString()}`, due, now, deps.config.config.worker.timeScale);
    state.walk = { startedAt: now.toISOString(), pages: 0, accounts: 0, added: 0 };
  }
  const walk = state.walk;
  for (let i = 0; i < PAGES_PER_STEP; i++) {
    const page = await readPage(deps, walk.nextToken);
    if (page instanceof AwsError) {
      delete state.walk;
      return proceed(`ListAccounts refused the walk's token (${page.message}); starting the walk again`);
    }
    walk.added += await indexAccounts(deps.store, page.accounts, deps.clock.now());
    walk.pages += 1;
    walk.accounts += page.accounts.length;
    if (page.nextToken === undefined) return finishWalk(deps, state, walk, now);
    walk.nextToken = page.nextToken;
  }
  return proceed(`indexing: ${walk.pages} pages, ${walk.accounts} accounts read, ${walk.added} e-mails new`);
}

/**
 * The organisation account index's refresh as a job kind: one standing job (created by the first
 * worker that finds none), one worker at a time, that never ends (errors wait and retry, with the
 * error in `detail`). Every `worker.accountIndexRefreshMinutes` it walks ListAccounts.
 */
export const INDEX_REFRESH_KIND = storedJobKind({
  name: INDEX_REFRESH_JOB,
  schema: RefreshStateSchema,
  concurrency: 1,
  leaseMs: 5 * 60_000,
  retryAll: true,
  ensure: (deps) => ensureJob(deps, INDEX_REFRESH_JOB, INDEX_REFRESH_JOB_ID, {}, 'first refresh'),
  step: (state, { deps, now }) => refreshAccountIndex(deps, state, now),
});
