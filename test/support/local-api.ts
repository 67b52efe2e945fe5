import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app';
import type { LocalFactory } from './local-factory';

export const ADMIN = 'integration-admin-token-0123456789abcdef';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** The real API over HTTP on a local factory, called with the admin token. */
export interface LocalApi {
  app: FastifyInstance;
  url: string;
  call(method: string, path: string, body?: unknown): Promise<ApiAnswer>;
  close(): Promise<void>;
}

export async function serveLocalApi(
  local: LocalFactory,
  options: { lifecycle?: boolean } = {},
): Promise<LocalApi> {
  const { runtime } = local;
  const app = buildApp({
    store: runtime.store,
    config: runtime.config,
    clock: runtime.deps.clock,
    adminToken: ADMIN,
    accountDirectory: runtime.aws.organizations,
    accessCatalog: runtime.deps.accessCatalog,
    ...(options.lifecycle ? { lifecycle: runtime.deps } : {}),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    async call(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      return {
        status: res.status,
        headers: res.headers,
        body: (await res.json()) as Record<string, unknown>,
      };
    },
    close: () => app.close(),
  };
}
