import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LoadedConfig } from '../src/config/load';
import type { AuditLogStore } from '../src/domain/ports/request-store';
import { recordRefusedCall } from '../src/metrics/registry';
import { recordAudit } from '../src/workflow/intake';
import type { Clock } from '../src/workflow/clock';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks a mutating route: every call is written to the audit log under this action. */
    audit?: string;
  }
  interface FastifyRequest {
    /** The request a mutating call acted on, once known (set by the handler). */
    auditTarget?: string;
    /** Why a call failed (the error code), or `replayed` for an idempotent replay. */
    auditDetail?: string;
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
}

/** Calls refused before any work: counted in /metrics, never written row by row. */
const REFUSED: Readonly<Record<number, 'unauthenticated' | 'rate_limited'>> = {
  401: 'unauthenticated',
  429: 'rate_limited',
};

/**
 * Writes every call to a route marked `config: { audit }` to the stored audit log, successes and
 * failures alike, before the response is sent; entries are kept `api.audit.retentionDays`. Calls
 * refused for want of a valid token (401) or over a rate limit (429), on any route, are counted in
 * `avf_api_refused_total` instead: anyone can make those, so they must not grow the log. A failing
 * audit write is logged and does not change the response: the action it records has already happened.
 */
export function registerAuditLog(
  app: FastifyInstance,
  deps: { store: AuditLogStore; clock: Clock; config: LoadedConfig },
): void {
  const retentionDays = deps.config.config.api.audit.retentionDays;
  app.decorateRequest('auditTarget', undefined);
  app.decorateRequest('auditDetail', undefined);
  app.addHook('onError', async (request, _reply, error) => {
    request.auditDetail ??= codeOf(error);
  });
  const audit = async (request: FastifyRequest, status: number, action: string): Promise<void> => {
    const params = request.params as { id?: unknown } | undefined;
    const target = request.auditTarget ?? (typeof params?.id === 'string' ? params.id : undefined);
    try {
      const entry = await recordAudit(
        { ...deps, retentionDays },
        {
          action,
          status,
          ...(request.principal ? { principal: request.principal } : {}),
          ...(target === undefined ? {} : { target }),
          ...(request.auditDetail === undefined ? {} : { detail: request.auditDetail }),
        },
      );
      request.log.info({ audit: entry }, `audit: ${action} ${entry.outcome} by ${entry.actor}`);
    } catch (err) {
      request.log.error({ err, action }, 'audit: the entry could not be stored');
    }
  };
  // A callback hook: the calls that are not audited (most of them, every read) wait for nothing.
  app.addHook('onSend', (request, reply, payload, done) => {
    const refused = REFUSED[reply.statusCode];
    if (refused) recordRefusedCall(refused);
    const action = request.routeOptions.config.audit;
    if (action === undefined || refused) return done(null, payload);
    audit(request, reply.statusCode, action).then(
      () => done(null, payload),
      (err: unknown) => done(err as Error),
    );
  });
}
