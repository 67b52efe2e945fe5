import type { FastifyServerOptions } from 'fastify';
import type {
  AuditLogStore,
  IdempotencyStore,
  RequestStore,
  TokenStore,
} from '../src/domain/ports/request-store';
import type { IntakeDeps } from '../src/workflow/intake';

/** Everything the API needs; the server entry point wires the concrete adapters. */
export interface ApiDeps extends IntakeDeps {
  store: RequestStore & TokenStore & IdempotencyStore & AuditLogStore;
  /** AVF_ADMIN_TOKEN: accepted as a `platform` token as is. Unset or empty: no admin token. */
  adminToken?: string;
  /** fastify's logger option; off by default (tests). Tokens and Idempotency-Keys are always redacted. */
  logger?: FastifyServerOptions['logger'];
}
