import { randomUUID } from 'node:crypto';
import type { DynamoTable } from '../../aws/dynamodb-table';
import {
  normaliseEmail,
  RequestRecordSchema,
  type RequestRecord,
  type RequestStatus,
} from '../../domain/account-request';
import { AvfError, StaleRecordError } from '../../domain/errors';
import type {
  AuditEntry,
  AuditLogStore,
  ClaimOptions,
  IdempotencyKey,
  IdempotencyStore,
  IdempotentCreate,
  ListQuery,
  Page,
  RequestStore,
  RequestVersion,
  StoredToken,
  TokenStore,
} from '../../domain/ports/request-store';
import {
  decodeCursor,
  emailInUse,
  idempotencyKeyId,
  idInUse,
  leaseUntil,
  missingKeyTarget,
  nextDocument,
  pageOf,
  pageSize,
  requestPosition,
  staleDocument,
} from '../store-rules';
import type { HasJobs } from '../../domain/ports/job-store';
import { DynamoDbJobs } from './dynamodb-jobs';
import { countKind, listKind } from './kind-listing';
import { auditItem, listAuditShards } from './audit-items';
import { documentItem, documentOf } from './document-items';
import type { DocumentStore, StoredDocument } from '../../domain/ports/document-store';
import { heldKey, idempotencyItem, keyFreeAt } from './idempotency-items';
import { DynamoTokens } from './token-items';
import {
  listingIndex,
  listingStartKey,
  recordOf,
  requestItem,
  VERSION_ATTRIBUTES,
  versionOf,
  versionIs,
} from './request-items';
import {
  DUE,
  NEW_ITEM,
  documentKey,
  documentsPartition,
  dueBy,
  emailKey,
  idempotencyKey,
  requestKey,
  WAKE_KEY,
} from './table-schema';

import type { StoreWriteListener, StoreWrites, WorkerWakes } from '../../domain/ports/store-writes';
import { WriteSignal } from '../write-signal';

/** Due candidates read per query page while claiming; most are taken or skipped at once. */
const CLAIM_PAGE = 25;
/** Tries of a create cancelled by a concurrent transaction on the same items. */
const CREATE_TRIES = 5;

/**
 * The store for several replicas and for the AWS deployment: one DynamoDB table (see
 * table-schema.ts). Every write is conditional — on the item not existing for a create, on the
 * stored version for a save or a lease — so concurrent processes never overwrite each other.
 */
export class DynamoDbStore
  implements
    RequestStore,
    TokenStore,
    IdempotencyStore,
    AuditLogStore,
    DocumentStore,
    HasJobs,
    StoreWrites,
    WorkerWakes
{
  readonly jobs: DynamoDbJobs;
  private readonly tokens: DynamoTokens;
  private readonly writes = new WriteSignal();

  constructor(private readonly table: DynamoTable) {
    this.jobs = new DynamoDbJobs(table);
    this.tokens = new DynamoTokens(table);
  }

  async create(record: RequestRecord): Promise<RequestRecord> {
    const stored = RequestRecordSchema.parse({ ...record, version: 1 });
    for (let i = 0; i < CREATE_TRIES; i++) {
      const result = await this.table.putAll(this.requestPuts(stored));
      if (result.committed) return stored;
      if (result.failed.length > 0) return this.createConflict(stored, result.failed);
    }
    throw busy(stored.id);
  }

  async findIdempotencyKey(scope: string, key: string, now: Date): Promise<IdempotencyKey | undefined> {
    return heldKey(await this.table.get(idempotencyKey(idempotencyKeyId(scope, key))), now);
  }

  /** The request, its email and the key in one transaction: all three are stored or none. */
  async createWithIdempotencyKey(
    record: RequestRecord,
    key: Omit<IdempotencyKey, 'requestId'>,
    now: Date,
  ): Promise<IdempotentCreate> {
    const stored = RequestRecordSchema.parse({ ...record, version: 1 });
    for (let i = 0; i < CREATE_TRIES; i++) {
      const held = await this.findIdempotencyKey(key.scope, key.key, now);
      if (held) return this.heldOutcome(held, key.bodyHash);
      const keyPut = { item: idempotencyItem({ ...key, requestId: stored.id }), condition: keyFreeAt(now) };
      const result = await this.table.putAll([...this.requestPuts(stored), keyPut]);
      if (result.committed) return { outcome: 'created', record: stored };
      // The key was taken meanwhile: read it again and answer from it.
      if (result.failed.includes(2)) continue;
      if (result.failed.length > 0) return this.createConflict(stored, result.failed);
    }
    throw busy(stored.id);
  }

  async get(id: string): Promise<RequestRecord | undefined> {
    const item = await this.table.get(requestKey(id));
    return item ? recordOf(item) : undefined;
  }

  /** A GetItem of the version and team attributes alone: the record is neither read out nor parsed. */
  async getVersion(id: string): Promise<RequestVersion | undefined> {
    const item = await this.table.get(requestKey(id), VERSION_ATTRIBUTES);
    return item ? versionOf(id, item) : undefined;
  }

  async findByEmail(email: string): Promise<RequestRecord | undefined> {
    const holder = await this.table.get(emailKey(normaliseEmail(email)));
    return typeof holder?.requestId === 'string' ? this.get(holder.requestId) : undefined;
  }

  async findByAccountId(accountId: string): Promise<RequestRecord | undefined> {
    const page = await this.table.query({
      index: 'byAccount',
      keyCondition: { expression: 'accountPk = :account', values: { ':account': accountId } },
      limit: 1,
    });
    const item = page.items[0];
    return item ? recordOf(item) : undefined;
  }

  async list(query: ListQuery): Promise<Page<RequestRecord>> {
    const limit = pageSize(query.limit);
    const index = listingIndex(query);
    const position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    // One item more than the page tells whether a next page exists (pageOf drops it).
    const page = await this.table.query({
      index: index.name,
      keyCondition: {
        expression: '#key = :value',
        names: { '#key': index.key },
        values: { ':value': index.value },
      },
      descending: true,
      limit: limit + 1,
      ...(position ? { startKey: listingStartKey(index, position) } : {}),
    });
    return pageOf(page.items, limit, recordOf, requestPosition);
  }

  /** A counting Query on the `byStatus` index: the items are counted where they are, not read. */
  countByStatus(status: RequestStatus): Promise<number> {
    const index = listingIndex({ status });
    return this.table.count({
      index: index.name,
      keyCondition: {
        expression: '#key = :value',
        names: { '#key': index.key },
        values: { ':value': index.value },
      },
    });
  }

  /**
   * Reads due candidates from the `due` index, oldest first, and leases each with a write
   * conditional on the version it was read at; a candidate another worker took meanwhile fails
   * that condition and is skipped, and the next one is tried.
   */
  async claimDue(options: ClaimOptions): Promise<RequestRecord[]> {
    const claimed: RequestRecord[] = [];
    if (options.limit < 1) return claimed;
    const now = options.now.toISOString();
    const until = leaseUntil(options.now, options.leaseMs);
    const candidates = this.table.queryAll({
      ...dueBy(DUE, now),
      filter: {
        expression: 'attribute_not_exists(leaseUntil) OR leaseUntil <= :now',
        values: { ':now': now },
      },
      limit: CLAIM_PAGE,
    });
    for await (const item of candidates) {
      const record = recordOf(item);
      if (options.excludeIds?.includes(record.id)) continue;
      const leased = { ...record, leaseOwner: options.owner, leaseUntil: until, version: record.version + 1 };
      const lease = this.table.put(requestItem(leased), versionIs(record.version));
      if (await this.writes.after({ request: record.id }, lease)) claimed.push(leased);
      if (claimed.length >= options.limit) break;
    }
    return claimed;
  }

  /** One item of the `due` index, leased or not: a lease's end is not in the index key. */
  async anyDue(at: Date): Promise<boolean> {
    const page = await this.table.query({ ...dueBy(DUE, at.toISOString()), limit: 1 });
    return page.items.length > 0;
  }

  /**
   * Rewrites the wake item with a new value each time: DynamoDB writes no stream record for a put
   * that changes nothing.
   */
  async wakeWorkers(): Promise<void> {
    await this.table.put({ ...WAKE_KEY, wake: randomUUID() });
  }

  async save(record: RequestRecord): Promise<RequestRecord> {
    const stored = RequestRecordSchema.parse({ ...record, version: record.version + 1 });
    const write = this.table.put(requestItem(stored), versionIs(record.version));
    if (!(await this.writes.after({ request: record.id }, write))) {
      throw new StaleRecordError(record.id);
    }
    return stored;
  }

  putToken(token: StoredToken): Promise<void> {
    return this.tokens.put(token);
  }

  findToken(hash: string): Promise<StoredToken | undefined> {
    return this.tokens.find(hash);
  }

  listTokens(): Promise<StoredToken[]> {
    return this.tokens.list();
  }

  deleteToken(hash: string): Promise<boolean> {
    return this.tokens.delete(hash);
  }

  touchToken(hash: string, at: string): Promise<void> {
    return this.tokens.touch(hash, at);
  }

  async appendAudit(entry: AuditEntry): Promise<void> {
    const item = auditItem(entry);
    if (!(await this.table.put(item, NEW_ITEM))) {
      throw new AvfError(
        'AUDIT_ENTRY_EXISTS',
        `audit entry ${entry.id} is already stored; the log is append-only`,
      );
    }
  }

  listAudit(query: { cursor?: string; limit: number }): Promise<Page<AuditEntry>> {
    return listAuditShards(this.table, query);
  }

  async getDocument(kind: string, id: string): Promise<StoredDocument | undefined> {
    const item = await this.table.get(documentKey(kind, id));
    return item ? documentOf(item) : undefined;
  }

  async putDocument(
    kind: string,
    id: string,
    body: unknown,
    expectedVersion: number,
    now: Date,
  ): Promise<StoredDocument> {
    const doc = nextDocument(kind, id, body, expectedVersion, now);
    const condition = expectedVersion === 0 ? NEW_ITEM : versionIs(expectedVersion);
    const write = this.table.put(documentItem(doc), condition);
    if (!(await this.writes.after({ documentKind: kind, id }, write))) throw staleDocument(kind, id);
    return doc;
  }

  listDocuments(kind: string, query: { cursor?: string; limit: number }): Promise<Page<StoredDocument>> {
    return listKind(
      this.table,
      { partition: documentsPartition(kind), keyOf: (id) => documentKey(kind, id), rowOf: documentOf },
      query,
    );
  }

  countDocuments(kind: string, query: { below?: string; limit?: number } = {}): Promise<number> {
    return countKind(this.table, documentsPartition(kind), query);
  }

  async deleteDocument(kind: string, id: string, expectedVersion: number): Promise<void> {
    const write = this.table.delete(documentKey(kind, id), versionIs(expectedVersion));
    if (!(await this.writes.after({ documentKind: kind, id }, write))) throw staleDocument(kind, id);
  }

  onWrite(listener: StoreWriteListener): () => void {
    return this.writes.onWrite(listener);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** A request and the item holding its email, each only if new. */
  private requestPuts(stored: RequestRecord) {
    const email = normaliseEmail(stored.spec.email);
    return [
      { item: requestItem(stored), condition: NEW_ITEM },
      { item: { ...emailKey(email), requestId: stored.id }, condition: NEW_ITEM },
    ];
  }

  /** The ConflictError of a create whose request (0) or email (1) put failed its condition. */
  private createConflict(stored: RequestRecord, failed: number[]): Promise<never> {
    return Promise.reject(failed.includes(0) ? idInUse(stored.id) : emailInUse(stored.spec.email));
  }

  private async heldOutcome(held: IdempotencyKey, bodyHash: string): Promise<IdempotentCreate> {
    if (held.bodyHash !== bodyHash) return { outcome: 'key-reused', held };
    const record = await this.get(held.requestId);
    if (!record) throw missingKeyTarget(held);
    return { outcome: 'replayed', record };
  }
}

function busy(id: string): AvfError {
  return new AvfError('STORE_BUSY', `request ${id}: concurrent writes kept cancelling the create`, {
    retryable: true,
  });
}
