import { z } from 'zod';
import { ControlsSummarySchema, VerificationSchema } from './compliance';

/**
 * Where a request's events also go: an endpoint the requesting team runs. Every delivery is signed
 * with `secret` (HMAC-SHA256, header `X-Avf-Signature`); the secret is stored for signing and never
 * shown again.
 */
export const WebhookSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL' })
      .max(2048)
      .describe('https URL; http only where the config allows it (local runs)'),
    secret: z
      .string()
      .min(16, 'at least 16 characters')
      .max(256)
      .describe('HMAC-SHA256 key the deliveries are signed with; never shown again'),
  })
  .strict();
export type Webhook = z.infer<typeof WebhookSchema>;

/** A US-dollar amount as AWS Budgets takes it: whole cents, from 0.01 to 10,000,000. */
export const budgetAmountUsd = z
  .number()
  .min(0.01, 'at least 0.01 USD')
  .max(10_000_000, 'at most 10,000,000 USD')
  .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, {
    message: 'whole cents: at most two decimals, e.g. 1250.50',
  });

/** The tags the factory itself puts on every account (G-9); a request's own tags may not use them. */
export const FACTORY_TAG_KEYS = ['CostCenter', 'Owner', 'Team', 'avf:request-id'] as const;
/** Organizations allows 50 tags on an account, the factory's own included. */
export const MAX_ACCOUNT_TAGS = 50;

/**
 * The body a team POSTs to /v1/account-requests. `.strict()` so a misspelt field is an error, not
 * silently dropped. `budget` and `access` are optional here; defaults come from the config.
 */
export const AccountRequestBodySchema = z
  .object({
    // Organizations: an account name is 1-50 printable ASCII characters, an e-mail 6-64 characters.
    accountName: z
      .string()
      .min(1)
      .max(50)
      .regex(/^[\x20-\x7E]+$/, 'printable ASCII characters only (Organizations)'),
    email: z.email().min(6).max(64),
    organizationalUnit: z.string().min(1),
    // The owner's address becomes the Owner tag's value (at most 256 characters).
    owner: z.object({ team: z.string().min(1), email: z.email().max(254) }).strict(),
    costCenter: z
      .string()
      .regex(/^[A-Za-z0-9_.:/=+@-]{1,256}$/, 'a cost centre: 1-256 letters, digits, _.:/=+@-'),
    budget: z
      .object({
        monthlyLimitUsd: budgetAmountUsd,
        /** Default: the config's `budgets.defaultThresholdsPercent` (or, on PATCH, the account's). */
        thresholdsPercent: z.array(z.number().positive().max(1000)).min(1).max(5).optional(),
      })
      .strict()
      .optional(),
    access: z
      .array(z.object({ group: z.string().min(1), permissionSet: z.string().min(1) }).strict())
      .max(20)
      .optional(),
    tags: z
      .record(
        z
          .string()
          .regex(
            /^(?![aA][wW][sS]:)[\w .:/=+@-]{1,128}$/,
            'a tag key: 1-128 characters, not starting with aws: (any case)',
          ),
        z.string().regex(/^[\w .:/=+@-]{0,256}$/, 'a tag value: up to 256 characters'),
      )
      .default({}),
    webhook: WebhookSchema.optional(),
  })
  .strict();

export type AccountRequestBody = z.input<typeof AccountRequestBodySchema>;

/** The request after validation, with config defaults applied: what the workflow acts on. */
export const AccountSpecSchema = z.object({
  accountName: z.string(),
  email: z.string(),
  organizationalUnit: z.string(),
  owner: z.object({ team: z.string(), email: z.string() }),
  costCenter: z.string(),
  budget: z.object({ monthlyLimitUsd: z.number(), thresholdsPercent: z.array(z.number()) }),
  access: z.array(z.object({ group: z.string(), permissionSet: z.string() })),
  tags: z.record(z.string(), z.string()),
});
export type AccountSpec = z.infer<typeof AccountSpecSchema>;

export const REQUEST_STATUSES = ['PENDING_APPROVAL', 'QUEUED', 'IN_PROGRESS', 'READY', 'FAILED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The phases of a vend, in order. Each is a step the reconciler starts and checks. */
export const PHASES = [
  'create-account',
  'place-account',
  'await-access',
  'harden',
  'baseline',
  'identity-center',
  'budget',
  'verify',
  'release-quarantine',
] as const;
export type Phase = (typeof PHASES)[number];

export const STEP_STATUSES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export const StepSchema = z.object({
  name: z.enum(PHASES),
  status: z.enum(STEP_STATUSES),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  detail: z.string().optional(),
});
export type Step = z.infer<typeof StepSchema>;

/**
 * Handles of AWS work in flight, persisted before and after each AWS call so that a crash at any
 * point resumes from the record.
 */
export const HandlesSchema = z.object({
  /** Set before CreateAccount is called: from then on, look the account up before creating again. */
  createAccountIntentAt: z.string().optional(),
  createAccountRequestId: z.string().optional(),
  /** The account came from this request's own CreateAccount: created in the root, with its tags. */
  createdByThisRequest: z.boolean().optional(),
  /** The request's place in the queue for a CreateAccount slot, while it waits for one. */
  createAccountTicket: z.string().optional(),
  quarantinePolicyId: z.string().optional(),
  /** The OU placement moved the account into: a repeat of the step (after a crash) moves it no more. */
  placedIn: z.string().optional(),
  /** StackSet name → deterministic OperationId of the CreateStackInstances operation. */
  stackSetOperations: z.record(z.string(), z.string()).optional(),
  /**
   * StackSet name → what its deployment to this account came to, for those judged healthy while the
   * baseline phase still waits for others: not looked at again in this run of the phase (cleared
   * when the phase ends, so a retry checks every StackSet's operation again).
   */
  stackSetsDeployed: z.record(z.string(), z.string()).optional(),
  /**
   * Region → the GuardDuty detector hardening created or found enabled there: the verification
   * reads that detector (GetDetector) instead of listing the region's detectors first.
   */
  threatDetectors: z.record(z.string(), z.string()).optional(),
  /** Bumped when a baseline operation fails, so a retry gets a fresh OperationId. */
  baselineGeneration: z.number().int().optional(),
  /** One per (group, permission set): the assignment request id once started. */
  assignments: z
    .array(
      z.object({
        group: z.string(),
        permissionSet: z.string(),
        requestId: z.string().optional(),
        status: z.enum(['PENDING', 'IN_PROGRESS', 'SUCCEEDED']).default('PENDING'),
      }),
    )
    .optional(),
  budgetName: z.string().optional(),
  /** A phase run ahead that AWS failed: it fails with this in its turn, not tried again meanwhile. */
  failedAhead: z.object({ phase: z.enum(PHASES), code: z.string(), reason: z.string() }).optional(),
  /**
   * When the controls the phases before the baseline settle were checked while the StackSets
   * deployed. The ones that passed are kept in a document of their own (verify-ahead.ts), not
   * here: the record is read and written on every look while the StackSets deploy.
   */
  verifiedAheadAt: z.string().optional(),
});
export type Handles = z.infer<typeof HandlesSchema>;

export { ControlsSummarySchema, type ControlsSummary } from './compliance';

/**
 * An account's life after the vend. ACTIVE: in use. CLOSING: a closure is scheduled (cancellable
 * until `closeAfter`) or its decommission is under way. SUSPENDED: decommissioned (no access, no
 * budget, in the Suspended OU), waiting for AWS to close it. CLOSED: AWS reports it closed.
 */
export const ACCOUNT_STATES = ['ACTIVE', 'CLOSING', 'SUSPENDED', 'CLOSED'] as const;
export type AccountState = (typeof ACCOUNT_STATES)[number];
export const LifecycleSchema = z.object({
  state: z.enum(ACCOUNT_STATES),
  /** Set for accounts brought under the factory by POST /v1/accounts/import. */
  importedAt: z.string().optional(),
  closeRequestedAt: z.string().optional(),
  closeRequestedBy: z.string().optional(),
  /** When the decommission starts: the end of the grace period. */
  closeAfter: z.string().optional(),
  closedAt: z.string().optional(),
});
export type Lifecycle = z.infer<typeof LifecycleSchema>;

export const RequestErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  phase: z.enum(PHASES).optional(),
});
export type RequestError = z.infer<typeof RequestErrorSchema>;

export const QueuePositionSchema = z.object({
  position: z.number().int().min(1).describe('1 = the next request to get a CreateAccount slot'),
  of: z.number().int().min(1).describe('requests waiting for a slot, organisation-wide'),
  slotsInUse: z.number().int().min(0),
  slots: z.number().int().min(1),
});
export type QueuePosition = z.infer<typeof QueuePositionSchema>;

/**
 * Something that happened to a request or its account (a status change, a drift finding, a
 * lifecycle change), kept on the record in order. `seq` numbers them from 1; the notification
 * outbox (src/workflow/notify) delivers them by `seq` to EventBridge and the request's webhook.
 */
export const RequestEventSchema = z.object({
  seq: z.number().int().min(1),
  /** The EventBridge detail-type, e.g. `Account Request Status Changed`. */
  type: z.string(),
  at: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type RequestEvent = z.infer<typeof RequestEventSchema>;

/** A stored request. `schemaVersion` lets the store migrate old records. */
export const RequestRecordSchema = z.object({
  schemaVersion: z.literal(1),
  id: z.string(),
  /** Optimistic-lock version, bumped by every write. */
  version: z.number().int(),
  status: z.enum(REQUEST_STATUSES),
  phase: z.enum(PHASES),
  team: z.string(),
  spec: AccountSpecSchema,
  accountId: z.string().optional(),
  handles: HandlesSchema,
  /** Attempts at the current phase (reset when the phase advances); drives the backoff. */
  attempts: z.number().int(),
  nextCheckAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  steps: z.array(StepSchema),
  controls: ControlsSummarySchema.optional(),
  /** The last verification of the vended account, control by control with evidence. */
  lastVerification: VerificationSchema.optional(),
  /** After the vend: closure, and how the account came under the factory (absent: vended, active). */
  lifecycle: LifecycleSchema.optional(),
  error: RequestErrorSchema.optional(),
  /** While QUEUED for a CreateAccount slot: its place in the fair queue (1 = next). */
  queue: QueuePositionSchema.optional(),
  /** The baseline version the account last reached (at READY, then after each rollout) and when. */
  baseline: z.object({ version: z.string(), appliedAt: z.string() }).optional(),
  /** Where the request's events also go (given with the request). */
  webhook: WebhookSchema.optional(),
  /** The latest events, oldest first (older ones are dropped once delivered; `seq` keeps counting). */
  events: z.array(RequestEventSchema).optional(),
  /** AWS API calls made on this request's behalf so far (the polling-cost metric). */
  awsCalls: z.number().int().min(0).optional(),
  leaseOwner: z.string().optional(),
  leaseUntil: z.string().optional(),
});
export type RequestRecord = z.infer<typeof RequestRecordSchema>;

export function initialSteps(): Step[] {
  return PHASES.map((name) => ({ name, status: 'PENDING' as const }));
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
