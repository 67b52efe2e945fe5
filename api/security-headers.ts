import type { FastifyInstance } from 'fastify';

/** Sent on every response: the API serves JSON to programs, never pages to frame or sniff. */
const HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cache-control': 'no-store',
};

/** JSON needs nothing from the browser; the Swagger UI pages set their own policy. */
const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";

const ENTRIES = Object.entries(HEADERS);

/** A callback hook, not an async one: it runs on every response and has nothing to wait for. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const [name, value] of ENTRIES) {
      if (!reply.hasHeader(name)) void reply.header(name, value);
    }
    const type = reply.getHeader('content-type');
    if (
      typeof type === 'string' &&
      type.startsWith('application/json') &&
      !reply.hasHeader('content-security-policy')
    ) {
      void reply.header('content-security-policy', JSON_CSP);
    }
    done(null, payload);
  });
}
