import { z } from 'zod';
import type { DocumentKind } from '../coordination/document';
import { FactoryEventSchema } from '../events';

/** Findings kept in the document at most (DynamoDB items hold 400 KB); the count goes on. */
export const MAX_STORED_FINDINGS = 500;
/** Errors (accounts that could not be checked) kept in the document at most. */
export const MAX_STORED_ERRORS = 50;
/** Evidence (and an error's message) is cut to this many characters in a stored sweep. */
export const MAX_EVIDENCE_CHARS = 400;

export const cutEvidence = (text: string): string =>
  text.length > MAX_EVIDENCE_CHARS ? `${text.slice(0, MAX_EVIDENCE_CHARS - 1)}…` : text;

/** A control that FAILed on an account during a sweep. */
export const DriftFindingSchema = z.object({
  accountId: z.string(),
  controlId: z.string(),
  title: z.string(),
  region: z.string().optional(),
  /** What the verifier read when the control failed. */
  evidence: z.string(),
  detectedAt: z.string(),
  /** Set when `drift.remediate` is on and the control has an ensure: PASS again after it ran. */
  remediated: z.boolean().optional(),
  /** Why remediation did not happen or did not hold (the ensure's error, the evidence after). */
  remediationDetail: z.string().optional(),
});
export type DriftFinding = z.infer<typeof DriftFindingSchema>;

/** StackSet drift detection of one StackSet, once per sweep. */
export const StackSetDriftCheckSchema = z.object({
  stackSet: z.string(),
  operationId: z.string(),
  /**
   * PENDING → RUNNING → IN_SYNC | DRIFTED | NOT_CHECKED | FAILED | UNSUPPORTED (the emulator lacks
   * it); a PENDING check deferred for a busy StackSet too long ends SKIPPED_BUSY.
   */
  status: z.string(),
  driftedInstances: z.number().int().optional(),
  inSyncInstances: z.number().int().optional(),
  detail: z.string().optional(),
  /** When the detection was first deferred because the StackSet was busy. */
  deferredSince: z.string().optional(),
  /** Not before then: the next try of a deferred detection, or the next poll of a running one. */
  nextAttemptAt: z.string().optional(),
});
export type StackSetDriftCheck = z.infer<typeof StackSetDriftCheckSchema>;

export const SweepSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  /** Who started it by hand (`POST /v1/drift/sweeps`); unset for a sweep the schedule started. */
  startedBy: z.string().optional(),
  finishedAt: z.string().optional(),
  /** The store cursor of READY accounts not yet checked; unset at the start. */
  cursor: z.string().optional(),
  /** True once the last page of accounts was checked. */
  accountsDone: z.boolean(),
  accountsChecked: z.number().int(),
  /** Accounts that could not be checked at all (the first few errors are kept). */
  accountsFailed: z.number().int().default(0),
  errors: z.array(z.object({ accountId: z.string(), message: z.string() })).default([]),
  findingsTotal: z.number().int(),
  findings: z.array(DriftFindingSchema),
  stackSets: z.array(StackSetDriftCheckSchema),
});
export type Sweep = z.infer<typeof SweepSchema>;

/** A sweep as the API shows it: everything but the store cursor. */
export const SweepRecordSchema = SweepSchema.omit({ cursor: true });
export type SweepRecord = z.infer<typeof SweepRecordSchema>;

export function recordOf(sweep: Sweep): SweepRecord {
  const record: Sweep = { ...sweep };
  delete record.cursor;
  return record;
}

/** A sweep in short: no findings, cursor or errors. */
export const SweepSummarySchema = SweepSchema.omit({ findings: true, cursor: true, errors: true });
export type SweepSummary = z.infer<typeof SweepSummarySchema>;

/** A sweep without its findings, cursor and errors: what events and the previous sweep hold. */
export function summaryOf(sweep: Sweep): SweepSummary {
  const summary: Partial<Sweep> = { ...sweep };
  delete summary.findings;
  delete summary.cursor;
  delete summary.errors;
  return SweepSummarySchema.parse(summary);
}

/**
 * The drift sweep of the factory: one document, shared by every worker. It holds the sweep in
 * progress (or the last one) and the verification budget; one standing job advances it
 * (sweep-kind.ts). Each finished sweep is also kept whole in a document of its own
 * (sweep-history.ts).
 */
export const DriftDocumentSchema = z.object({
  schemaVersion: z.literal(1),
  sweep: SweepSchema.optional(),
  /** The last finished sweep, in short, while a newer one runs. */
  previous: SweepSummarySchema.optional(),
  /** Token bucket of verifications: `drift.verificationsPerMinute`, all workers together. */
  budget: z.object({ tokens: z.number(), refilledAt: z.string() }).optional(),
  /** Events of its steps not yet on the bus (events.ts). */
  outbox: z.array(FactoryEventSchema).optional(),
});
export type DriftDocument = z.infer<typeof DriftDocumentSchema>;

export const DRIFT_KIND: DocumentKind<DriftDocument> = {
  kind: 'drift-sweep',
  schema: DriftDocumentSchema,
  empty: () => ({ schemaVersion: 1 }),
};

/** The one drift document of a store. */
export const DRIFT_DOCUMENT_ID = 'current';

/** The standing job that advances the sweep (sweep-kind.ts): one per store, under this id. */
export const SWEEP_JOB = 'drift-sweep';
export const SWEEP_JOB_ID = 'sweep';
