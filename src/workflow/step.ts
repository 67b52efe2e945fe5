import type { RequestRecord } from '../domain/account-request';
import type { LoadedConfig } from '../config/load';
import type { AwsPorts } from '../domain/ports/aws';
import type { RequestStore } from '../domain/ports/request-store';
import type { DocumentStore } from '../domain/ports/document-store';
import type { Clock } from './clock';
import type { OrgDirectory } from '../domain/org-directory';
import type { Verifier } from '../verify/verifier';
import type { WebhookPort } from '../domain/ports/webhook';
import type { HasJobs } from '../domain/ports/job-store';
import type { Outcome } from './engine/outcome';

/** What a step needs; wired by the entry points. */
export interface WorkflowDeps {
  /** Requests, jobs, and the coordination documents (limiters, baseline batches) beside them. */
  store: RequestStore & DocumentStore & HasJobs;
  aws: AwsPorts;
  config: LoadedConfig;
  clock: Clock;
  directory: OrgDirectory;
  verifier: Verifier;
  /** Posts request events to the webhooks requests name; without it, none are posted. */
  webhooks?: WebhookPort;
  random?: () => number;
  /** The store's tag (coordination/store-identity), read once when the runtime is built. */
  storeTag: string;
}

/**
 * A step works on a draft of the record. `checkpoint()` persists the draft at once; steps call it
 * before an AWS call whose effect must never be repeated blindly (the CreateAccount intent) and
 * after one that returns a handle.
 */
export interface StepContext {
  deps: WorkflowDeps;
  record: RequestRecord;
  now: Date;
  checkpoint: () => Promise<void>;
}

/** A step of an account request's current phase: `done` means the phase is finished. */
export type Step = (ctx: StepContext) => Promise<Outcome>;

export { done, fail, wait, type Outcome } from './engine/outcome';

/** The account id, which every step after create-account relies on. */
export function accountIdOf(record: RequestRecord): string {
  if (!record.accountId)
    throw new Error(`request ${record.id} reached ${record.phase} without an account id`);
  return record.accountId;
}
