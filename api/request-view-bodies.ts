import { LRUCache } from 'lru-cache';
import type { RequestRecord } from '../src/domain/account-request';
import type { RequestStore } from '../src/domain/ports/request-store';
import { canSeeTeam, type Principal } from '../src/domain/principal';

/** Bodies remembered, by total characters (2 Mi: some 1,700 views of typical size, the ones polled). */
const MAX_CHARACTERS = 2 * 1024 * 1024;

/**
 * The serialised single-request views (GET /v1/account-requests/{id}) this API answered lately, by
 * request id and the stored version they were built from. A request being polled is answered from
 * here as long as its stored version has not changed, which costs a read of that version instead
 * of reading, parsing and serialising the record. Only views that depend on nothing but the record
 * may be remembered (not ones showing deliveries, which change without the record).
 */
export class RequestViewBodies {
  private readonly bodies = new LRUCache<string, { version: number; body: string }>({
    maxSize: MAX_CHARACTERS,
    sizeCalculation: (held) => Math.max(1, held.body.length),
  });

  constructor(private readonly store: RequestStore) {}

  /**
   * The body remembered for this request if it is still at the version it was built from and the
   * principal may see it; otherwise undefined, and the caller builds the view as usual (which also
   * answers the unknown and the invisible with their errors).
   */
  async find(principal: Principal, id: string): Promise<string | undefined> {
    const held = this.bodies.get(id);
    if (!held) return undefined;
    const current = await this.store.getVersion(id);
    if (!current || current.version !== held.version || !canSeeTeam(principal, current.team))
      return undefined;
    return held.body;
  }

  /** Remembers the body serialised from this version of the record. */
  remember(record: Pick<RequestRecord, 'id' | 'version'>, body: string): void {
    this.bodies.set(record.id, { version: record.version, body });
  }
}
