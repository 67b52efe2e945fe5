import { z } from 'zod';

export const CONTROL_STATUSES = ['PASS', 'FAIL', 'ERROR'] as const;

/** One control's result for one account (and region, where the control is regional). */
export const ControlResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  region: z.string().optional(),
  status: z.enum(CONTROL_STATUSES),
  /** What was read, so a person can see why. */
  evidence: z.string(),
  /** An ERROR caused by a transient AWS error (throttling, 5xx): checking again may pass. */
  retryable: z.boolean().optional(),
  /**
   * When it was read, where that was before the verification itself: a vend checks a control whose
   * settings no later phase changes as soon as they are set, while the StackSets deploy.
   */
  checkedAt: z.string().optional(),
});
export type ControlResult = z.infer<typeof ControlResultSchema>;
export type ControlStatus = ControlResult['status'];

export const ControlsSummarySchema = z.object({ passed: z.number(), failed: z.number(), error: z.number() });
export type ControlsSummary = z.infer<typeof ControlsSummarySchema>;

/** A verification of one account: every control, with evidence. */
export const VerificationSchema = z.object({
  accountId: z.string(),
  verifiedAt: z.string(),
  results: z.array(ControlResultSchema),
  summary: ControlsSummarySchema,
  /** Results that kept (or would keep) the account from READY. */
  blocking: z.array(z.string()).default([]),
  /**
   * Controls in ERROR that did not block READY because AVF_EMULATOR=1 declared the local emulator
   * and the control declares that the emulator cannot evaluate it; never present on real AWS.
   */
  notEvaluable: z.array(z.object({ control: z.string(), reason: z.string() })).optional(),
  /** Drifted settings re-applied before this verification (verify-now with `drift.remediate`). */
  remediated: z.array(z.string()).optional(),
});
export type Verification = z.infer<typeof VerificationSchema>;
