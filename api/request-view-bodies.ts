import { LRUCache } from 'lru-cache';
import type { RequestRecord } from '../src/domain/account-request';
import type { DocumentStore } from '../src/domain/ports/document-store';
import type { RequestStore } from '../src/domain/ports/request-store';
import { canSeeTeam, type Principal } from '../src/domain/principal';
import { DELIVERY } from '../src/workflow/notify/delivery-state';

/** Bodies remembered, by total characters (2 Mi: some 1,700 views of typical size, the ones polled). */
const MAX_CHARACTERS = 2 * 1024 * 1024;

interface Held {
  /** The record's stored version the view was built from. */
  version: number;
  /**
   * For a view showing deliveries, the version of the request's delivery document read before the
   * view was built (0: none yet); absent for a view without deliveries.
   */
  deliveries?: number;
  body: string;
}

/**
 * The serialised single-request views (GET /v1/account-requests/{id}) this API answered lately, by
 * request id and the stored versions they were built from. A request being polled is answered from
 * here as long as its stored version (and, for a view showing deliveries, its delivery document's)
 * has not changed, which costs a read of those versions instead of reading, parsing and
 * serialising the record. A view depends on nothing else: the config is the process's own.
 */
export class RequestViewBodies {
  private readonly bodies = new LRUCache<string, Held>({
    maxSize: MAX_CHARACTERS,
    sizeCalculation: (held) => Math.max(1, held.body.length),
  });

  constructor(private readonly store: RequestStore & DocumentStore) {}

  /**
   * The body remembered for this request if what it was built from is still current and the
   * principal may see it; otherwise undefined, and the caller builds the view as usual (which also
   * answers the unknown and the invisible with their errors).
   */
  async find(principal: Principal, id: string): Promise<string | undefined> {
    const held = this.bodies.get(id);
    if (!held) return undefined;
    const current = await this.store.getVersion(id);
    if (!current || current.version !== held.version || !canSeeTeam(principal, current.team))
      return undefined;
    if (held.deliveries !== undefined && (await this.deliveriesVersion(id)) !== held.deliveries)
      return undefined;
    return held.body;
  }

  /**
   * The version of a request's delivery document, 0 before its first delivery. Read it before
   * building a view that shows deliveries: a delivery written meanwhile is then in the view or
   * makes the remembered body miss once (the document's version only grows), never go stale.
   */
  async deliveriesVersion(id: string): Promise<number> {
    return (await this.store.getDocument(DELIVERY.kind, id))?.version ?? 0;
  }

  /**
   * Remembers the body serialised from this version of the record and, for a view showing
   * deliveries, the delivery document's version read before it (`deliveriesVersion`).
   */
  remember(record: Pick<RequestRecord, 'id' | 'version'>, body: string, deliveries?: number): void {
    this.bodies.set(record.id, {
      version: record.version,
      body,
      ...(deliveries === undefined ? {} : { deliveries }),
    });
  }
}
