import type { DynamoTable, Item, TransactionWrite } from '../../aws/dynamodb-table';
import { StoredTokenSchema, type StoredToken } from '../../domain/ports/request-store';
import { oldestTokenFirst, tokenNameInUse } from '../token-rules';
import { ALL_TOKENS, listSortKey, tokenKey, tokenNameKey } from './table-schema';

/** Tries of a token write cancelled by a concurrent transaction on the same items. */
const TRIES = 5;

function tokenItem(token: StoredToken): Item {
  return {
    ...tokenKey(token.hash),
    ...token,
    allPk: ALL_TOKENS,
    listSk: listSortKey(token.createdAt, token.hash),
  };
}

function tokenOf(item: Item): StoredToken {
  const keys = new Set(['pk', 'sk', 'allPk', 'listSk']);
  return StoredTokenSchema.parse(Object.fromEntries(Object.entries(item).filter(([k]) => !keys.has(k))));
}

/**
 * API tokens on the single table: the token item (found by hash, listed in `all`) and an item
 * holding its name, written together so names stay unique.
 */
export class DynamoTokens {
  constructor(private readonly table: DynamoTable) {}

  async put(token: StoredToken): Promise<void> {
    const valid = StoredTokenSchema.parse(token);
    for (let i = 0; i < TRIES; i++) {
      const previous = await this.find(valid.hash);
      const writes: TransactionWrite[] = [
        { item: tokenItem(valid) },
        {
          item: { ...tokenNameKey(valid.name), hash: valid.hash },
          condition: {
            expression: 'attribute_not_exists(pk) OR #hash = :hash',
            names: { '#hash': 'hash' },
            values: { ':hash': valid.hash },
          },
        },
      ];
      if (previous && previous.name !== valid.name) writes.push({ delete: tokenNameKey(previous.name) });
      const result = await this.table.putAll(writes);
      if (result.committed) return;
      if (result.failed.includes(1)) throw tokenNameInUse(valid.name);
    }
    throw tokenNameInUse(valid.name);
  }

  async find(hash: string): Promise<StoredToken | undefined> {
    const item = await this.table.get(tokenKey(hash));
    return item ? tokenOf(item) : undefined;
  }

  async list(): Promise<StoredToken[]> {
    const tokens: StoredToken[] = [];
    for await (const item of this.table.queryAll({
      index: 'all',
      keyCondition: { expression: 'allPk = :tokens', values: { ':tokens': ALL_TOKENS } },
    })) {
      tokens.push(tokenOf(item));
    }
    return tokens.sort(oldestTokenFirst);
  }

  /** The token and its name, together. */
  async delete(hash: string): Promise<boolean> {
    const token = await this.find(hash);
    if (!token) return false;
    const result = await this.table.putAll([
      { delete: tokenKey(hash), condition: { expression: 'attribute_exists(pk)' } },
      {
        delete: tokenNameKey(token.name),
        condition: {
          expression: 'attribute_not_exists(pk) OR #hash = :hash',
          names: { '#hash': 'hash' },
          values: { ':hash': hash },
        },
      },
    ]);
    return result.committed;
  }

  /** Rewrites the token with `lastUsedAt` only while it exists, so a revoked token stays revoked. */
  async touch(hash: string, at: string): Promise<void> {
    const token = await this.find(hash);
    if (!token) return;
    await this.table.put(tokenItem({ ...token, lastUsedAt: at }), { expression: 'attribute_exists(pk)' });
  }
}
