import { z } from 'zod';
import type { DocumentKind } from '../coordination/document';
import { FactoryEventSchema } from '../events';

export const ROLLOUT_STATUSES = ['RUNNING', 'HALTED', 'SUCCEEDED'] as const;
export const WAVE_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;

const OperationSchema = z.object({
  stackSet: z.string(),
  operationId: z.string(),
  /** Unset until the operation has ended. */
  status: z.string().optional(),
  reason: z.string().optional(),
});
export type RolloutOperation = z.infer<typeof OperationSchema>;

const WaveAccountSchema = z.object({ accountId: z.string(), requestId: z.string(), ou: z.string() });
export type WaveAccount = z.infer<typeof WaveAccountSchema>;

export const WaveSchema = z.object({
  index: z.number().int().min(1),
  /** canary, or the cumulative percentage of the accounts this wave brings the rollout to. */
  label: z.string(),
  accounts: z.array(WaveAccountSchema),
  status: z.enum(WAVE_STATUSES),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  operations: z.array(OperationSchema).default([]),
  /** Per account, once judged: its stack instances, account settings and verification. */
  results: z.record(z.string(), z.object({ ok: z.boolean(), reasons: z.array(z.string()) })).default({}),
  succeeded: z.number().int().optional(),
  failed: z.number().int().optional(),
});
export type Wave = z.infer<typeof WaveSchema>;

/**
 * A rollout of one baseline version in waves: what people read (the API, the CLI). Its job (one
 * per rollout, same id, rollout-kind.ts) advances it one short step at a time.
 */
export const RolloutSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  toVersion: z.string(),
  /** Accounts per version they held when the rollout was planned. */
  fromVersions: z.record(z.string(), z.number().int()),
  createdAt: z.string(),
  createdBy: z.string(),
  status: z.enum(ROLLOUT_STATUSES),
  haltReason: z.string().optional(),
  failureThresholdPercent: z.number().min(0).max(100),
  /** UpdateStackSet of the StackSets whose template or parameters differ; decided on the first step. */
  stackSetUpdates: z.array(OperationSchema).optional(),
  waves: z.array(WaveSchema),
  finishedAt: z.string().optional(),
  /** Events of its steps not yet on the bus (events.ts). */
  outbox: z.array(FactoryEventSchema).optional(),
});
export type Rollout = z.infer<typeof RolloutSchema>;

/** The job kind that drives rollouts: one job per running rollout, under the rollout's id. */
export const ROLLOUT_JOB = 'rollout';

/** Rollouts are stored one document each, ids ascending by creation time. */
export const ROLLOUT_KIND: DocumentKind<Rollout | undefined> = {
  kind: 'rollout',
  schema: RolloutSchema.optional(),
  empty: () => undefined,
};
