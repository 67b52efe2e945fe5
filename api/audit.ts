import type { FastifyRequest } from 'fastify';
import { principalOf } from './auth';

/** Every mutating action, as one structured log line: who did what to which request. */
export function audit(request: FastifyRequest, action: string, target: string): void {
  const actor = principalOf(request);
  request.log.info(
    { audit: { action, target, actor: actor.name, role: actor.role, team: actor.team } },
    `audit: ${action} ${target} by ${actor.name}`,
  );
}
