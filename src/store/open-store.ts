import { settle } from './store-rules';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AvfError } from '../domain/errors';
import { storeUnavailable } from './store-errors';
import type {
  AuditLogStore,
  IdempotencyStore,
  RequestStore,
  TokenStore,
} from '../domain/ports/request-store';
import type { DocumentStore } from '../domain/ports/document-store';
import type { HasJobs } from '../domain/ports/job-store';
import type { StoreWrites, WorkerWakes } from '../domain/ports/store-writes';
import { openDynamoDbStore, type DynamoDbStoreOptions } from './dynamodb/open-dynamodb-store';
import { MemoryStore } from './memory-store';

export type Store = RequestStore &
  TokenStore &
  IdempotencyStore &
  AuditLogStore &
  DocumentStore &
  HasJobs &
  StoreWrites &
  Partial<WorkerWakes>;

/**
 * Opens the store named by an `AVF_STORE` value:
 * - `sqlite:PATH` — a SQLite file (its directory is created);
 * - `memory:` — an in-memory store, lost on exit (tests, demos);
 * - `dynamodb:TABLE` — a DynamoDB table, created when missing (region from AWS_REGION).
 */
export async function openStore(spec: string, options: DynamoDbStoreOptions = {}): Promise<Store> {
  if (spec.startsWith('dynamodb:')) {
    const table = spec.slice('dynamodb:'.length);
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) {
      throw invalid(spec, 'dynamodb: needs a table name (3-255 of A-Z a-z 0-9 _ . -), e.g. dynamodb:avf');
    }
    return openDynamoDbStore(table, options);
  }
  return settle(() => storeFor(spec));
}

function storeFor(spec: string): Store {
  const colon = spec.indexOf(':');
  const kind = colon < 0 ? spec : spec.slice(0, colon);
  const target = colon < 0 ? '' : spec.slice(colon + 1);
  switch (kind) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite': {
      if (!target) throw invalid(spec, 'sqlite: needs a file path, e.g. sqlite:data/avf.db');
      // Loaded on demand (the Lambda bundles mark the native better-sqlite3 external and never open
      // a sqlite: store). A CommonJS require, which the `avf` bin's tsx hook resolves; `import()`
      // would need tsx's ESM loader too.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { SqliteStore } = require('./sqlite/sqlite-store') as typeof import('./sqlite/sqlite-store');
      try {
        if (target !== ':memory:') mkdirSync(dirname(target), { recursive: true });
        return new SqliteStore(target);
      } catch (err) {
        throw storeUnavailable(target, err);
      }
    }
    default:
      throw invalid(spec, 'expected sqlite:PATH, memory: or dynamodb:TABLE');
  }
}

function invalid(spec: string, hint: string): AvfError {
  return new AvfError('STORE_SPEC_INVALID', `AVF_STORE=${JSON.stringify(spec)} is not a store: ${hint}`);
}
