import type { RequestRecord, RequestStatus } from '../account-request';
import { z } from 'zod';

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

/** Which stored version of a request there is, and whose it is: enough to tell a copy is current. */
export interface RequestVersion {
  team: string;
  /** The record's `version`: every write of the record bumps it. */
  version: number;
}

export interface ClaimOptions {
  now: Date;
  /** Worker id that will hold the lease. */
  owner: string;
  leaseMs: number;
  limit: number;
  /**
   * Records the claiming worker is still stepping: not claimed again by it, though their lease may
   * have run out while a step waited (its steps overlap; another worker may take them then).
   */
  excludeIds?: readonly string[];
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
  /**
   * The stored version and team of a request, without reading its record: for callers that hold a
   * copy of something derived from a version and want to know it is still current. Cheaper than
   * `get` in every adapter: the record is neither read out nor parsed (on DynamoDB the round trip
   * and the capacity are the same, the work on both ends is not).
   */
  getVersion(id: string): Promise<RequestVersion | undefined>;
  findByEmail(email: string): Promise<RequestRecord | undefined>;
  /** The request that vended this account, if any. */
  findByAccountId(accountId: string): Promise<RequestRecord | undefined>;
  /** Newest first; paginated so nothing is loaded whole. */
  list(query: ListQuery): Promise<Page<RequestRecord>>;
  /**
   * How many requests have this status, without reading their records (an index count): for
   * callers that need the size of a listing, not its items.
   */
  countByStatus(status: RequestStatus): Promise<number>;
  /**
   * Leases up to `limit` records whose status is QUEUED or IN_PROGRESS, whose `nextCheckAt` is due
   * and whose lease is free or expired; returns them with the lease set and version bumped.
   */
  claimDue(options: ClaimOptions): Promise<RequestRecord[]>;
  /**
   * Whether a record may be claimable at `at` (QUEUED or IN_PROGRESS, `nextCheckAt` by then): one
   * look, for a worker deciding whether it may stop. Never false when one is; may be true for a
   * record whose lease outlasts `at`.
   */
  anyDue(at: Date): Promise<boolean>;
  /**
   * Writes `record` if the stored version still equals `record.version`; returns it with
   * version + 1. Throws StaleRecordError otherwise.
   */
  save(record: RequestRecord): Promise<RequestRecord>;
  close(): Promise<void>;
}

export type Role = 'requester' | 'platform' | 'finance' | 'auditor';

export const StoredTokenSchema = z
  .object({
    /** sha256 hex of the token; the token itself is never stored. */
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    role: z.enum(['requester', 'platform', 'finance', 'auditor']),
    team: z.string().optional(),
    /** Unique among the store's tokens. */
    name: z.string().min(1),
    createdAt: z.string(),
    /** When the token stops being accepted; tokens stored without one expire 90 days after creation. */
    expiresAt: z.string().optional(),
    /** The last authenticated call made with it (to the minute). */
    lastUsedAt: z.string().optional(),
  })
  .strict();
export type StoredToken = z.infer<typeof StoredTokenSchema>;

/**
 * API tokens. Names are unique: `putToken` of a name another token holds throws ConflictError
 * `TOKEN_NAME_IN_USE`; putting the same hash again replaces that token.
 */
export interface TokenStore {
  putToken(token: StoredToken): Promise<void>;
  findToken(hash: string): Promise<StoredToken | undefined>;
  /** Every token, oldest first (a factory has tens of them, not thousands). */
  listTokens(): Promise<StoredToken[]>;
  /** Deletes the token; false when it was not stored. */
  deleteToken(hash: string): Promise<boolean>;
  /** Records a use at `at`; nothing when the token is gone (revoked meanwhile). */
  touchToken(hash: string, at: string): Promise<void>;
}

/** How long an Idempotency-Key is remembered (the contract promises at least 24 h). */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** A claimed Idempotency-Key: which request it created, from which body, until when. */
export interface IdempotencyKey {
  /** Whose key it is (a token's hash): two principals' keys never collide. */
  scope: string;
  key: string;
  /** sha256 hex of the canonical request body. */
  bodyHash: string;
  requestId: string;
  createdAt: string;
  expiresAt: string;
}

/** What `createWithIdempotencyKey` did; only `created` stored anything. */
export type IdempotentCreate =
  | { outcome: 'created'; record: RequestRecord }
  /** The key was held with the same body: the request it created. */
  | { outcome: 'replayed'; record: RequestRecord }
  /** The key was held with a different body. */
  | { outcome: 'key-reused'; held: IdempotencyKey };

/** Idempotency-Keys of POST /v1/account-requests, kept beside the requests they created. */
export interface IdempotencyStore {
  /** The key, unless it is unknown or expired at `now`. */
  findIdempotencyKey(scope: string, key: string, now: Date): Promise<IdempotencyKey | undefined>;
  /**
   * Atomically: if (scope, key) is held and unexpired, stores nothing and reports `replayed` (same
   * bodyHash) or `key-reused`; otherwise stores the record (as `create`, with its ConflictErrors)
   * and the key, replacing an expired one. Expired keys are deleted on the way.
   */
  createWithIdempotencyKey(
    record: RequestRecord,
    key: Omit<IdempotencyKey, 'requestId'>,
    now: Date,
  ): Promise<IdempotentCreate>;
}

export const AUDIT_OUTCOMES = ['success', 'failure'] as const;

/** One mutating API call: who, what, when and how it ended. Stored with a schema version. */
export const AuditEntrySchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().min(1),
    at: z.string(),
    /** The token's name; `(unauthenticated)` when no valid token was sent. */
    actor: z.string(),
    role: z.enum(['requester', 'platform', 'finance', 'auditor']).optional(),
    team: z.string().optional(),
    /** e.g. `account-request.submit`. */
    action: z.string(),
    /** The request the call acted on, when known. */
    target: z.string().optional(),
    outcome: z.enum(AUDIT_OUTCOMES),
    /** The HTTP status answered. */
    status: z.number().int(),
    /** The error code on failure; `replayed` for an idempotent replay. */
    detail: z.string().optional(),
    /** When the store may delete it (`api.audit.retentionDays` after `at`). */
    expiresAt: z.string().optional(),
  })
  .strict();
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/**
 * The audit log: append-only, read newest first. Entries past their `expiresAt` are deleted: by
 * the SQLite and in-memory stores when a later entry is appended, by DynamoDB's TTL.
 */
export interface AuditLogStore {
  appendAudit(entry: AuditEntry): Promise<void>;
  /** Newest first (by `at`, then `id`), paginated like `list`. */
  listAudit(query: { cursor?: string; limit: number }): Promise<Page<AuditEntry>>;
}
