import type { RequestRecord, RequestStatus } from '../account-request';

export interface ListQuery {
  status?: RequestStatus;
  team?: string;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
  limit: number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface ClaimOptions {
  now: Date;
  /** Worker id that will hold the lease. */
  owner: string;
  leaseMs: number;
  limit: number;
}

/**
 * Where requests live. Both adapters (SQLite, DynamoDB) pass the same contract suite
 * (test/unit/store/request-store.contract.ts).
 *
 * Concurrency: every write is conditional on `version`; a write against a stale version throws
 * StaleRecordError. `claimDue` takes a lease with a conditional write so two workers never hold
 * the same record.
 */
export interface RequestStore {
  /**
   * Stores a new request (version 1). Throws ConflictError `EMAIL_IN_USE` if any stored request
   * has the same (normalised) email.
   */
  create(record: RequestRecord): Promise<RequestRecord>;
  get(id: string): Promise<RequestRecord | undefined>;
  findByEmail(email: string): Promise<RequestRecord | undefined>;
  /** The request that vended this account, if any. */
  findByAccountId(accountId: string): Promise<RequestRecord | undefined>;
  /** Newest first; paginated so nothing is loaded whole. */
  list(query: ListQuery): Promise<Page<RequestRecord>>;
  /**
   * Leases up to `limit` records whose status is QUEUED or IN_PROGRESS, whose `nextCheckAt` is due
   * and whose lease is free or expired; returns them with the lease set and version bumped.
   */
  claimDue(options: ClaimOptions): Promise<RequestRecord[]>;
  /**
   * Writes `record` if the stored version still equals `record.version`; returns it with
   * version + 1. Throws StaleRecordError otherwise.
   */
  save(record: RequestRecord): Promise<RequestRecord>;
  /** Counts records in a phase and status (used by limiters, e.g. CreateAccount in flight). */
  countActive(filter: {
    phase: RequestRecord['phase'];
    withHandle: 'createAccountIntentAt';
  }): Promise<number>;
  close(): Promise<void>;
}

export type Role = 'requester' | 'platform' | 'finance' | 'auditor';

export interface StoredToken {
  /** sha256 hex of the token; the token itself is never stored. */
  hash: string;
  role: Role;
  team?: string;
  name: string;
  createdAt: string;
}

export interface TokenStore {
  putToken(token: StoredToken): Promise<void>;
  findToken(hash: string): Promise<StoredToken | undefined>;
}
