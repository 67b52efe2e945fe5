import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../src/domain/principal';
import {
  countAccountsByVersion,
  registerCurrentBaseline,
} from '../../src/workflow/rollout/baseline-registry';
import { BaselinePartsSchema } from '../../src/workflow/rollout/baseline-version';
import { RolloutSchema } from '../../src/workflow/rollout/rollout-document';
import {
  getRollout,
  haltRollout,
  listRollouts,
  planRollout,
  resumeRollout,
  RolloutBodySchema,
  startRollout,
} from '../../src/workflow/rollout/rollouts';
import { principalOf } from '../auth';
import type { ApiDeps } from '../deps';
import { ERROR_RESPONSES, locateProblemsIn } from '../errors';

const TAGS = ['baselines and rollouts'];
const errors = ERROR_RESPONSES;
const IdParams = z
  .object({ id: z.string().regex(/^ro-[A-Za-z0-9-]{1,80}$/, 'a rollout id (ro-…)') })
  .strict();
const RolloutView = RolloutSchema.loose();
const PlanView = z.object({
  dryRun: z.literal(true),
  toVersion: z.string(),
  fromVersions: z.record(z.string(), z.number().int()),
  changes: z.array(
    z.object({
      fromVersion: z.string(),
      accounts: z.number().int(),
      diff: z
        .object({
          stackSets: z.array(z.object({ name: z.string(), changes: z.array(z.string()) })),
          policies: z.array(z.object({ name: z.string(), change: z.enum(['added', 'removed', 'changed']) })),
          hardening: z.boolean(),
        })
        .optional(),
    }),
  ),
  waves: z.array(z.object({ index: z.number().int(), label: z.string(), accounts: z.array(z.string()) })),
});
const BaselinesView = z.object({
  current: z.object({ version: z.string(), parts: BaselinePartsSchema }),
  accountsByVersion: z.record(z.string(), z.number().int()),
});

export function rolloutRoutes(deps: ApiDeps): FastifyPluginAsyncZod {
  const now = () => deps.clock.now();
  return (app) => {
    app.get(
      '/v1/baselines',
      {
        schema: {
          summary: 'The current baseline version, its parts, and READY accounts per version',
          tags: TAGS,
          response: { 200: BaselinesView, ...errors },
        },
      },
      async (request) => {
        requireRole(principalOf(request), ['platform', 'auditor'], 'read baselines');
        const current = await registerCurrentBaseline(deps.store, deps.config, now);
        return {
          current: { version: current.version, parts: current.parts },
          accountsByVersion: await countAccountsByVersion(deps.store),
        };
      },
    );

    app.post(
      '/v1/rollouts',
      {
        config: { audit: 'rollout.start' },
        schema: {
          summary: 'Roll the current baseline version out in waves (dryRun: only the plan)',
          tags: TAGS,
          // Every field has a default: no body at all starts the config's version with default waves.
          body: RolloutBodySchema.prefault({}),
          response: { 200: PlanView, 202: RolloutView, ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (request.body.dryRun)
          return reply
            .code(200)
            .send(await planRollout(deps, principal, request.body).catch(locateProblemsIn('body')));
        const rollout = await startRollout(deps, principal, request.body).catch(locateProblemsIn('body'));
        return reply.code(202).header('location', `/v1/rollouts/${rollout.id}`).send(rollout);
      },
    );

    app.get(
      '/v1/rollouts',
      {
        schema: {
          summary: 'Rollouts, oldest first',
          tags: TAGS,
          querystring: z
            .object({
              cursor: z.string().min(1).max(512).optional(),
              limit: z.coerce.number().int().min(1).max(100).default(20),
            })
            .strict(),
          response: {
            200: z.object({ items: z.array(RolloutView), nextCursor: z.string().optional() }),
            ...errors,
          },
        },
      },
      async (request) => listRollouts(deps, principalOf(request), request.query),
    );

    app.get(
      '/v1/rollouts/:id',
      {
        schema: {
          summary: 'A rollout and its wave log',
          tags: TAGS,
          params: IdParams,
          response: { 200: RolloutView, ...errors },
        },
      },
      async (request) => getRollout(deps, principalOf(request), request.params.id),
    );

    for (const action of ['halt', 'resume'] as const) {
      app.post(
        `/v1/rollouts/:id/${action}`,
        {
          config: { audit: `rollout.${action}` },
          schema: {
            summary: action === 'halt' ? 'Stop a running rollout' : 'Resume a halted rollout',
            tags: TAGS,
            params: IdParams,
            response: { 200: RolloutView, ...errors },
          },
        },
        async (request) => {
          const principal = principalOf(request);
          return action === 'halt'
            ? haltRollout(deps, principal, request.params.id)
            : resumeRollout(deps, principal, request.params.id);
        },
      );
    }
    return Promise.resolve();
  };
}
