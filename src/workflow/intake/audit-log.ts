import { randomUUID } from 'node:crypto';
import type { AuditEntry, AuditLogStore, Page } from '../../domain/ports/request-store';
import type { Clock } from '../clock';
import { requireRole, type Principal } from '../../domain/principal';

/** One mutating call as the API saw it; `principal` is absent when no valid token was sent. */
export interface AuditEvent {
  principal?: Principal;
  action: string;
  target?: string;
  status: number;
  detail?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Appends an event to the stored audit log: who, what, when, and whether it succeeded; kept for
 * `retentionDays` (forever without).
 */
export function recordAudit(
  deps: { store: AuditLogStore; clock: Clock; retentionDays?: number },
  event: AuditEvent,
): Promise<AuditEntry> {
  const { principal } = event;
  const now = deps.clock.now();
  const entry: AuditEntry = {
    schemaVersion: 1,
    id: `aud-${randomUUID().replace(/-/g, '')}`,
    at: now.toISOString(),
    actor: principal?.name ?? '(unauthenticated)',
    ...(principal ? { role: principal.role } : {}),
    ...(principal?.team === undefined ? {} : { team: principal.team }),
    action: event.action,
    ...(event.target === undefined ? {} : { target: event.target }),
    outcome: event.status < 400 ? 'success' : 'failure',
    status: event.status,
    ...(event.detail === undefined ? {} : { detail: event.detail }),
    ...(deps.retentionDays === undefined
      ? {}
      : { expiresAt: new Date(now.getTime() + deps.retentionDays * DAY_MS).toISOString() }),
  };
  return deps.store.appendAudit(entry).then(() => entry);
}

/** A page of the audit log, newest first: for `auditor` and `platform` tokens only. */
export function readAuditLog(
  store: AuditLogStore,
  principal: Principal,
  query: { cursor?: string; limit: number },
): Promise<Page<AuditEntry>> {
  requireRole(principal, ['auditor', 'platform'], 'read the audit log');
  return store.listAudit(query);
}
