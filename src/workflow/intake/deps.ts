import type { LoadedConfig } from '../../config/load';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { HasJobs } from '../../domain/ports/job-store';
import type { IdempotencyStore, RequestStore } from '../../domain/ports/request-store';
import type { Clock } from '../clock';
import type { AccessCatalog } from './access-catalog';

/** Looks an account up in the organisation by email (OrganizationsPort satisfies it). */
export interface AccountDirectory {
  findAccountByEmail(email: string): Promise<unknown>;
}

/** What the intake needs; the API and the CLI wire the concrete adapters. */
export interface IntakeDeps {
  /** Requests, the documents beside them, and the jobs (the event outbox's delivery jobs). */
  store: RequestStore & DocumentStore & HasJobs;
  config: LoadedConfig;
  clock: Clock;
  /**
   * Asked whether an account of the organisation uses the email (409 if so) while the organisation
   * account index has not been built yet; once it has, the index answers (org-index/).
   */
  accountDirectory?: AccountDirectory;
  /**
   * When given, the groups and permission sets a request grants must exist in IAM Identity Center
   * (400 naming each missing one; 503 when Identity Center cannot answer).
   */
  accessCatalog?: AccessCatalog;
  /** Makes a new request's id (default: 64 random bits); the simulator passes a seeded one. */
  newRequestId?: () => string;
}

/** The intake with Idempotency-Key support: the store also keeps the keys. */
export interface IdempotentIntakeDeps extends IntakeDeps {
  store: RequestStore & DocumentStore & HasJobs & IdempotencyStore;
}
