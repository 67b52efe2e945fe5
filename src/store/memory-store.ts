import {
  normaliseEmail,
  RequestRecordSchema,
  type RequestRecord,
  type RequestStatus,
} from '../domain/account-request';
import { StaleRecordError } from '../domain/errors';
import {
  AuditEntrySchema,
  type AuditEntry,
  type AuditLogStore,
  type ClaimOptions,
  type IdempotencyKey,
  type IdempotencyStore,
  type IdempotentCreate,
  type ListQuery,
  type Page,
  type RequestStore,
  type RequestVersion,
  type StoredToken,
  type TokenStore,
} from '../domain/ports/request-store';
import {
  auditPosition,
  CLAIMABLE_STATUSES,
  emailInUse,
  idempotencyKeyId,
  idInUse,
  leaseUntil,
  missingKeyTarget,
  pageInMemory,
  requestPosition,
  settle,
} from './store-rules';
import { MemoryDocuments } from './memory-documents';
import type { HasJobs } from '../domain/ports/job-store';
import { MemoryJobs } from './memory-jobs';
import { oldestTokenFirst, tokenNameInUse } from './token-rules';
import type { StoreWriteListener, StoreWrites } from '../domain/ports/store-writes';

/**
 * An in-memory store for unit and API tests, with the same semantics as the SQLite store: records
 * are validated and copied on the way in and copied on the way out, so a caller can never change
 * stored state except through `save`.
 */
export class MemoryStore
  extends MemoryDocuments
  implements RequestStore, TokenStore, IdempotencyStore, AuditLogStore, HasJobs, StoreWrites
{
  readonly jobs = new MemoryJobs();
  private readonly records = new Map<string, RequestRecord>();
  private readonly tokens = new Map<string, StoredToken>();
  private readonly idempotencyKeys = new Map<string, IdempotencyKey>();
  private readonly audit: AuditEntry[] = [];

  create(record: RequestRecord): Promise<RequestRecord> {
    return settle(() => this.insert(record));
  }

  get(id: string): Promise<RequestRecord | undefined> {
    return Promise.resolve(copyOf(this.records.get(id)));
  }

  getVersion(id: string): Promise<RequestVersion | undefined> {
    const record = this.records.get(id);
    return Promise.resolve(record && { team: record.team, version: record.version });
  }

  findByEmail(email: string): Promise<RequestRecord | undefined> {
    return Promise.resolve(copyOf(this.findStoredByEmail(email)));
  }

  findByAccountId(accountId: string): Promise<RequestRecord | undefined> {
    return Promise.resolve(copyOf([...this.records.values()].find((r) => r.accountId === accountId)));
  }

  list(query: ListQuery): Promise<Page<RequestRecord>> {
    return settle(() => {
      const matching = [...this.records.values()]
        .filter((r) => query.status === undefined || r.status === query.status)
        .filter((r) => query.team === undefined || r.team === query.team);
      return pageInMemory(matching, query, requestPosition);
    });
  }

  countByStatus(status: RequestStatus): Promise<number> {
    return settle(() => {
      let n = 0;
      for (const r of this.records.values()) if (r.status === status) n += 1;
      return n;
    });
  }

  /** The records a claim at `now` may take: open, checked by then, their lease free or run out. */
  private claimableAt(now: string): RequestRecord[] {
    return [...this.records.values()]
      .filter((r) => (CLAIMABLE_STATUSES as readonly string[]).includes(r.status))
      .filter((r) => r.nextCheckAt <= now)
      .filter((r) => r.leaseUntil === undefined || r.leaseUntil <= now);
  }

  anyDue(at: Date): Promise<boolean> {
    return settle(() => this.claimableAt(at.toISOString()).length > 0);
  }

  claimDue(options: ClaimOptions): Promise<RequestRecord[]> {
    const now = options.now.toISOString();
    const due = this.claimableAt(now)
      .filter((r) => !options.excludeIds?.includes(r.id))
      .sort((a, b) => (a.nextCheckAt < b.nextCheckAt ? -1 : a.nextCheckAt > b.nextCheckAt ? 1 : 0))
      .slice(0, Math.max(0, options.limit));
    const until = leaseUntil(options.now, options.leaseMs);
    return Promise.resolve(
      due.map((r) => {
        const leased: RequestRecord = {
          ...r,
          leaseOwner: options.owner,
          leaseUntil: until,
          version: r.version + 1,
        };
        this.records.set(r.id, leased);
        this.writes.tell({ request: r.id });
        return structuredClone(leased);
      }),
    );
  }

  save(record: RequestRecord): Promise<RequestRecord> {
    const write = settle(() => {
      const current = this.records.get(record.id);
      if (!current || current.version !== record.version) throw new StaleRecordError(record.id);
      const holder = this.findStoredByEmail(record.spec.email);
      if (holder && holder.id !== record.id) throw emailInUse(record.spec.email);
      const stored = RequestRecordSchema.parse({ ...structuredClone(record), version: record.version + 1 });
      this.records.set(stored.id, stored);
      return structuredClone(stored);
    });
    return this.writes.after({ request: record.id }, write);
  }

  putToken(token: StoredToken): Promise<void> {
    return settle(() => {
      const holder = [...this.tokens.values()].find((t) => t.name === token.name);
      if (holder && holder.hash !== token.hash) throw tokenNameInUse(token.name);
      this.tokens.set(token.hash, structuredClone(token));
    });
  }

  findToken(hash: string): Promise<StoredToken | undefined> {
    return Promise.resolve(copyOf(this.tokens.get(hash)));
  }

  listTokens(): Promise<StoredToken[]> {
    return Promise.resolve([...this.tokens.values()].map((t) => structuredClone(t)).sort(oldestTokenFirst));
  }

  deleteToken(hash: string): Promise<boolean> {
    return Promise.resolve(this.tokens.delete(hash));
  }

  touchToken(hash: string, at: string): Promise<void> {
    const token = this.tokens.get(hash);
    if (token) token.lastUsedAt = at;
    return Promise.resolve();
  }

  findIdempotencyKey(scope: string, key: string, now: Date): Promise<IdempotencyKey | undefined> {
    const held = this.idempotencyKeys.get(idempotencyKeyId(scope, key));
    return Promise.resolve(held && held.expiresAt > now.toISOString() ? { ...held } : undefined);
  }

  /** Synchronous from the key check to the insert, so concurrent callers cannot interleave. */
  createWithIdempotencyKey(
    record: RequestRecord,
    key: Omit<IdempotencyKey, 'requestId'>,
    now: Date,
  ): Promise<IdempotentCreate> {
    return settle((): IdempotentCreate => {
      const at = now.toISOString();
      for (const [id, held] of this.idempotencyKeys)
        if (held.expiresAt <= at) this.idempotencyKeys.delete(id);
      const id = idempotencyKeyId(key.scope, key.key);
      const held = this.idempotencyKeys.get(id);
      if (held) return this.heldOutcome(held, key.bodyHash);
      const created = this.insert(record);
      this.idempotencyKeys.set(id, { ...key, requestId: created.id });
      return { outcome: 'created', record: created };
    });
  }

  appendAudit(entry: AuditEntry): Promise<void> {
    return settle(() => {
      const stored = AuditEntrySchema.parse(structuredClone(entry));
      const kept = this.audit.filter((e) => e.expiresAt === undefined || e.expiresAt > stored.at);
      this.audit.splice(0, this.audit.length, ...kept, stored);
    });
  }

  listAudit(query: { cursor?: string; limit: number }): Promise<Page<AuditEntry>> {
    return settle(() => pageInMemory(this.audit, query, auditPosition));
  }

  onWrite(listener: StoreWriteListener): () => void {
    return this.writes.onWrite(listener);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private insert(record: RequestRecord): RequestRecord {
    const stored = RequestRecordSchema.parse({ ...structuredClone(record), version: 1 });
    if (this.records.has(stored.id)) throw idInUse(stored.id);
    const holder = this.findStoredByEmail(stored.spec.email);
    if (holder) throw emailInUse(stored.spec.email);
    this.records.set(stored.id, stored);
    return structuredClone(stored);
  }

  private heldOutcome(held: IdempotencyKey, bodyHash: string): IdempotentCreate {
    if (held.bodyHash !== bodyHash) return { outcome: 'key-reused', held: { ...held } };
    const record = this.records.get(held.requestId);
    if (!record) throw missingKeyTarget(held);
    return { outcome: 'replayed', record: structuredClone(record) };
  }

  private findStoredByEmail(email: string): RequestRecord | undefined {
    const wanted = normaliseEmail(email);
    for (const r of this.records.values()) {
      if (normaliseEmail(r.spec.email) === wanted) return r;
    }
    return undefined;
  }
}

function copyOf<T>(value: T | undefined): T | undefined {
  return value === undefined ? undefined : structuredClone(value);
}
