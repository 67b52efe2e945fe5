import { z } from 'zod';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { DocumentKind } from '../coordination/document';

export const TARGETS = ['eventbridge', 'webhook'] as const;
export type Target = (typeof TARGETS)[number];

/** Failed deliveries kept per request (the count goes on). */
export const MAX_FAILURES_KEPT = 20;

const PerTarget = z.object({
  /** The newest event handled (delivered, or given up) for this target. */
  through: z.number().int().min(0).default(0),
  delivered: z.number().int().min(0).default(0),
  /** Failed attempts at the next event. */
  attempts: z.number().int().min(0).default(0),
  lastError: z.string().optional(),
  lastAttemptAt: z.string().optional(),
});
export type PerTarget = z.infer<typeof PerTarget>;

export const FailureSchema = z.object({
  seq: z.number().int(),
  target: z.enum(TARGETS),
  type: z.string(),
  attempts: z.number().int(),
  error: z.string(),
  at: z.string(),
});
export type Failure = z.infer<typeof FailureSchema>;

/**
 * How a request's events fared: per target, and the deliveries given up. Never deleted. Written
 * by the delivery step (conditionally, after each event it delivers) apart from the job, so a job
 * save lost to a scheduler loses no progress; the job's lease is the only lease.
 */
export const DeliveryStateSchema = z.object({
  eventbridge: PerTarget.prefault({}),
  webhook: PerTarget.prefault({}),
  failed: z.array(FailureSchema).default([]),
  failedTotal: z.number().int().min(0).default(0),
});
export type DeliveryState = z.infer<typeof DeliveryStateSchema>;

export const DELIVERY: DocumentKind<DeliveryState> = {
  kind: 'notify',
  schema: DeliveryStateSchema,
  empty: () => DeliveryStateSchema.parse({}),
};

/** How a request's deliveries fared (undefined before the first delivery). */
export async function deliveryState(
  deps: { store: DocumentStore },
  requestId: string,
): Promise<DeliveryState | undefined> {
  const doc = await deps.store.getDocument(DELIVERY.kind, requestId);
  return doc ? DELIVERY.schema.parse(doc.body) : undefined;
}
