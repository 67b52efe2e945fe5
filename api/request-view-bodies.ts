import { LRUCache } from 'lru-cache';
import type { RequestRecord } from '../src/domain/account-request';
import type { DocumentStore } from '../src/domain/ports/document-store';
import type { RequestStore } from '../src/domain/ports/request-store';
import type { StoreWrite, StoreWrites } from '../src/domain/ports/store-writes';
import { canSeeTeam, type Principal } from '../src/domain/principal';
import { DELIVERY } from '../src/workflow/notify/delivery-state';

/** Bodies remembered, by total characters (2 Mi: some 1,700 views of typical size, the ones polled). */
const MAX_CHARACTERS = 2 * 1024 * 1024;

/**
 * How long a remembered view found current is served again without reading its version. A change
 * made through this process's store drops the view at once; one made by another process (a
 * worker of its own, another API process or Lambda instance) shows within this long, as a
 * DynamoDB eventually consistent read may lag too. docs/http-api.md states it.
 */
export const VIEW_RECHECK_MS = 1_000;

interface Held {
  /** The record's stored version the view was built from. */
  version: number;
  /** The record's team (a version has one team): the caller's access is checked on every call. */
  team: string;
  /**
   * For a view showing deliveries, the version of the request's delivery document read before the
   * view was built (0: none yet); absent for a view without deliveries.
   */
  deliveries?: number;
  body: string;
  /** When its versions were last read and found current (elapsed ms); never, for a view just built. */
  checkedAt: number;
}

/**
 * The serialised single-request views (GET /v1/account-requests/{id}) this API answered lately, by
 * request id and the stored versions they were built from. A request being polled is answered from
 * here as long as its stored version (and, for a view showing deliveries, its delivery document's)
 * has not changed, which costs a read of those versions instead of reading, parsing and
 * serialising the record; and for VIEW_RECHECK_MS after such a read, not even that. Every write of
 * a request or its delivery document through the store (StoreWrites) drops its view at once, so
 * this process's own changes show on the next call. A view depends on nothing else: the config is
 * the process's own.
 */
export class RequestViewBodies {
  private readonly bodies = new LRUCache<string, Held>({
    maxSize: MAX_CHARACTERS,
    sizeCalculation: (held) => Math.max(1, held.body.length),
  });
  private readonly recheckMs: number;
  private readonly stopListening: () => void;

  /**
   * `elapsedMs`: a monotonic time in ms (real time, whatever clock the API is given). A store that
   * does not tell its writes gets no recheck window: every call reads the versions.
   */
  constructor(
    private readonly store: RequestStore & DocumentStore & Partial<StoreWrites>,
    private readonly elapsedMs: () => number = () => performance.now(),
    recheckMs = VIEW_RECHECK_MS,
  ) {
    this.recheckMs = store.onWrite ? recheckMs : 0;
    this.stopListening = store.onWrite?.((write) => this.forget(write)) ?? (() => undefined);
  }

  /**
   * The body remembered for this request if what it was built from is still current and the
   * principal may see it; otherwise undefined, and the caller builds the view as usual (which also
   * answers the unknown and the invisible with their errors).
   */
  async find(principal: Principal, id: string): Promise<string | undefined> {
    const held = this.bodies.get(id);
    if (!held) return undefined;
    const now = this.elapsedMs();
    if (now >= held.checkedAt && now - held.checkedAt < this.recheckMs)
      return canSeeTeam(principal, held.team) ? held.body : undefined;
    const current = await this.store.getVersion(id);
    if (!current || current.version !== held.version || !canSeeTeam(principal, current.team))
      return undefined;
    if (held.deliveries !== undefined && (await this.deliveriesVersion(id)) !== held.deliveries)
      return undefined;
    // The time before the reads: a write told meanwhile has already dropped `held` from the cache.
    held.checkedAt = now;
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
   * deliveries, the delivery document's version read before it (`deliveriesVersion`). Its versions
   * are read again on the next call: a write may have been told while the view was being built.
   */
  remember(record: Pick<RequestRecord, 'id' | 'version' | 'team'>, body: string, deliveries?: number): void {
    this.bodies.set(record.id, {
      version: record.version,
      team: record.team,
      body,
      checkedAt: -Infinity,
      ...(deliveries === undefined ? {} : { deliveries }),
    });
  }

  /** Stops following the store's writes (the app is closing). */
  close(): void {
    this.stopListening();
  }

  private forget(write: StoreWrite): void {
    if ('request' in write) this.bodies.delete(write.request);
    else if (write.documentKind === DELIVERY.kind) this.bodies.delete(write.id);
  }
}
