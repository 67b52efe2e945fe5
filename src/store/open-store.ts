import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AvfError } from '../domain/errors';
import type { RequestStore, TokenStore } from '../domain/ports/request-store';
import { MemoryStore } from './memory-store';
import { SqliteStore } from './sqlite/sqlite-store';
import { settle } from './store-rules';

export type Store = RequestStore & TokenStore;

/**
 * Opens the store named by an `AVF_STORE` value:
 * - `sqlite:PATH` — a SQLite file (its directory is created);
 * - `memory:` — an in-memory store, lost on exit (tests, demos);
 * - `dynamodb:TABLE` — not available yet.
 */
export function openStore(spec: string): Promise<Store> {
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
      if (target !== ':memory:') mkdirSync(dirname(target), { recursive: true });
      return new SqliteStore(target);
    }
    case 'dynamodb':
      throw new AvfError(
        'STORE_UNSUPPORTED',
        `AVF_STORE=${spec}: the DynamoDB store comes later; use sqlite:PATH (e.g. sqlite:data/avf.db) for now`,
      );
    default:
      throw invalid(spec, 'expected sqlite:PATH, memory: or dynamodb:TABLE');
  }
}

function invalid(spec: string, hint: string): AvfError {
  return new AvfError('STORE_SPEC_INVALID', `AVF_STORE=${JSON.stringify(spec)} is not a store: ${hint}`);
}
