import type { FastifyServerOptions } from 'fastify';
import type { DocumentStore } from '../src/domain/ports/document-store';
import type { HasJobs } from '../src/domain/ports/job-store';
import type {
  AuditLogStore,
  IdempotencyStore,
  RequestStore,
  TokenStore,
} from '../src/domain/ports/request-store';
import type { StoreWrites } from '../src/domain/ports/store-writes';
import type { IntakeDeps } from '../src/workflow/intake';
import type { LifecycleDeps } from '../src/workflow/lifecycle';
import type { RecentTokens } from './recent-tokens';

/** Everything the API needs; the server entry point wires the concrete adapters. */
export interface ApiDeps extends IntakeDeps {
  /**
   * Every store adapter tells its writes (StoreWrites); one that does not gets views read again on
   * every GET instead of served for a moment (api/request-view-bodies.ts).
   */
  store: RequestStore &
    TokenStore &
    IdempotencyStore &
    AuditLogStore &
    DocumentStore &
    HasJobs &
    Partial<StoreWrites>;
  /** AVF_ADMIN_TOKEN: accepted as a `platform` token as is. Unset or empty: no admin token. */
  adminToken?: string;
  /**
   * AWS and the workflow, for the lifecycle routes (verify now, PATCH, move, close, import), which
   * act on AWS from the API. Without it those routes are not served.
   */
  lifecycle?: LifecycleDeps;
  /**
   * Swagger UI's static files, when they are not beside @fastify/swagger-ui in node_modules: the
   * Lambda bundle ships them in its own `static/` folder (src/infra/compute.ts).
   */
  docsAssetsDir?: string;
  /**
   * Wakes workers that sleep until told (the Lambda worker function) after a mutating call succeeds
   * (api/wake-workers.ts). Unset: workers find the work on their own next look (`avf serve`, `avf worker`).
   */
  wakeWorkers?: () => Promise<void>;
  /** Tokens read a moment ago (buildApp makes one per app: see RecentTokens). */
  recentTokens?: RecentTokens;
  /**
   * fastify's logger option; off by default (tests). A request is logged by a fixed list of fields
   * (api/log-options.ts), so tokens, cookies and Idempotency-Keys never reach a line.
   */
  logger?: FastifyServerOptions['logger'];
}
