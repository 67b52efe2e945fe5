import { z } from 'zod';
import { describeRegion } from '../aws/regions';
import { BudgetsSchema } from './budget-schema';
import { HardeningSchema } from './hardening-schema';
import { WorkerSchema } from './worker-schema';

export { AlternateContactSchema, HardeningSchema } from './hardening-schema';
import { FinanceSchema } from './finance-schema';

/** Names AWS accepts for an OU (1-128 chars) and that we can join into a path with '/'. */
const ouName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,127}$/, 'an OU name is letters, digits, space, _ . -');
const ouPath = z
  .string()
  .min(1)
  .refine(
    (p) => p.split('/').every((part) => ouName.safeParse(part).success),
    'an OU path is names joined by /',
  );
/** A region AWS has, by the SDK's own region list: `eu-wst-1` is refused, not governed. */
const region = z.string().refine((name) => describeRegion(name) !== undefined, {
  error: (issue) => `${String(issue.input)} is not an AWS region (the AWS SDK's list); e.g. eu-west-1`,
});
const email = z.email();
const iso8601Duration = z.string().regex(/^PT(\d+H)?(\d+M)?$/, 'an ISO-8601 duration such as PT8H');

export const OrganizationalUnitSchema = z
  .object({
    path: ouPath,
    /** Policy names (keys of `policies`) attached to this OU at bootstrap. */
    policies: z.array(z.string()).default([]),
    /** Requests into this OU stay PENDING_APPROVAL until a platform token approves them. */
    requiresApproval: z.boolean().default(false),
    /** Marks an OU whose accounts must not have internet gateways (used by the guardrail library). */
    private: z.boolean().default(false),
    sandbox: z.boolean().default(false),
  })
  .strict();

export const PolicySchema = z
  .object({
    type: z
      .enum(['SERVICE_CONTROL_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'TAG_POLICY'])
      .default('SERVICE_CONTROL_POLICY'),
    /** Path of the policy document, relative to the config file. */
    file: z.string().min(1),
    description: z.string().max(512).default(''),
  })
  .strict();

export const StackSetSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a StackSet name: a letter, then letters, digits, -'),
    /** Path of the CloudFormation template, relative to the config file. */
    template: z.string().min(1),
    version: z.string().min(1),
    description: z.string().default(''),
    /** Regions to deploy to; default: all governed regions. */
    regions: z.array(region).optional(),
    parameters: z.record(z.string(), z.string()).default({}),
    capabilities: z
      .array(z.enum(['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND']))
      .default([]),
  })
  .strict();

export const PermissionSetSchema = z
  .object({
    name: z.string().regex(/^[\w+=,.@-]{1,32}$/, 'a permission set name: 1-32 of letters, digits, +=,.@_-'),
    description: z.string().max(700).default(''),
    sessionDuration: iso8601Duration.default('PT4H'),
    managedPolicies: z.array(z.string().regex(/^arn:aws[a-z-]*:iam::aws:policy\/.+$/)).default([]),
    /** Inline policy document file, relative to the config file. */
    inlinePolicyFile: z.string().optional(),
  })
  .strict();

export const GroupSchema = z
  .object({
    name: z.string().min(1).max(1024),
    /** Permission sets this group may be given in a vended account. */
    permissionSets: z.array(z.string()).min(1),
    /** Teams that own the group: only their requesters may request or change access for it. */
    teams: z.array(z.string()).min(1),
  })
  .strict();

export const AccessGrantSchema = z
  .object({ group: z.string().min(1), permissionSet: z.string().min(1) })
  .strict();

export const TeamSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'a team name: lower-case letters, digits, -'),
    organizationalUnits: z.array(ouPath).min(1),
    /** Access granted when a request names none. */
    defaultAccess: z.array(AccessGrantSchema).default([]),
  })
  .strict();

export const FoundationAccountSchema = z
  .object({ name: z.string().min(1).max(50), email, organizationalUnit: ouPath })
  .strict();

/** The HTTP API's own limits. */
export const ApiSchema = z
  .object({
    /** Per-token (or, without a valid token, per-IP) request limits; per process. */
    rateLimit: z
      .object({
        /** Requests one token may make per window. */
        perToken: z.number().int().min(1).default(600),
        /** Requests without a valid token one IP may make per window (slows token guessing). */
        perIp: z.number().int().min(1).default(60),
        windowSeconds: z.number().int().min(1).max(3600).default(60),
      })
      .strict()
      .prefault({}),
    audit: z
      .object({
        /**
         * Days an audit entry is kept: then DynamoDB's TTL deletes it, or the SQLite store deletes
         * it when a later entry is written.
         */
        retentionDays: z.number().int().min(1).max(3650).default(365),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const ConfigSchema = z
  .object({
    version: z.literal(1),
    homeRegion: region,
    governedRegions: z.array(region).min(1),
    organization: z
      .object({
        /** Role CreateAccount puts in each new account; the factory assumes it. */
        accessRoleName: z.string().default('OrganizationAccountAccessRole'),
        /** Roles the guardrails protect and exempt (the factory's own). */
        factoryRoleNames: z.array(z.string()).default(['OrganizationAccountAccessRole']),
        quarantinePolicy: z.string().optional(),
        /**
         * Permission sets the security team triages findings with (GuardDuty filters, archive
         * rules): their roles are exempt from the findings guardrail. No group may receive one.
         */
        securityTriagePermissionSets: z.array(z.string()).default([]),
        logArchive: FoundationAccountSchema,
        security: FoundationAccountSchema,
      })
      .strict(),
    organizationalUnits: z.array(OrganizationalUnitSchema).min(1),
    /** Policies attached to the organisation root. */
    rootPolicies: z.array(z.string()).default([]),
    policies: z.record(z.string(), PolicySchema).default({}),
    stackSets: z.array(StackSetSchema).default([]),
    permissionSets: z.array(PermissionSetSchema).default([]),
    groups: z.array(GroupSchema).default([]),
    teams: z.array(TeamSchema).default([]),
    budgets: BudgetsSchema,
    accounts: z
      .object({
        namePattern: z.string().default('^[a-z][a-z0-9-]{2,49}$'),
        emailPattern: z.string().default('^.+@.+$'),
        requiredTags: z.array(z.string()).default([]),
      })
      .strict()
      .default({ namePattern: '^[a-z][a-z0-9-]{2,49}$', emailPattern: '^.+@.+$', requiredTags: [] }),
    hardening: HardeningSchema.prefault({}),
    api: ApiSchema.prefault({}),
    finance: FinanceSchema.prefault({}),
    drift: z
      .object({
        remediate: z.boolean().default(false),
        sweepIntervalMinutes: z.number().int().positive().default(1440),
        /** Accounts the sweep verifies per minute, all workers together (each costs ~50 read calls). */
        verificationsPerMinute: z.number().int().min(1).max(600).default(10),
        /**
         * How long a sweep waits for a busy StackSet (a baseline batch or a rollout of the factory
         * on it, or another operation AWS reports) before it skips its drift detection (SKIPPED_BUSY).
         */
        busyStackSetWaitMinutes: z.number().int().min(0).max(1440).default(60),
        /** Finished sweeps kept in the history (`GET /v1/drift/sweeps`); older ones are deleted. */
        keepSweeps: z.number().int().min(1).max(10_000).default(400),
      })
      .strict()
      .prefault({}),
    /**
     * The factory's events (request status changes, lifecycle changes, drift findings, rollout
     * waves) on an EventBridge bus, and a request's own events to the webhook it names.
     */
    events: z
      .object({
        busName: z
          .string()
          .regex(/^[\w.:/-]{1,256}$/, 'an EventBridge bus name or ARN')
          .optional(),
        webhooks: z
          .object({
            /** Per attempt; a slower endpoint counts as failed and is tried again. */
            timeoutSeconds: z.number().positive().max(30).default(5),
            /** Attempts per event before it is given up (recorded on the request as failed). */
            maxAttempts: z.number().int().min(1).max(50).default(12),
            /** The wait before the first retry; it doubles per attempt up to `maxRetrySeconds`. */
            firstRetrySeconds: z.number().positive().default(10),
            maxRetrySeconds: z.number().positive().default(3600),
            /** Requests whose events one worker delivers at once per team: a slow endpoint holds only its team's. */
            perTeam: z.number().int().min(1).max(25).default(2),
            /** Allow http:// URLs (local runs only: deliveries would cross the network unencrypted). */
            allowHttp: z.boolean().default(false),
            /**
             * Allow URLs resolving to private networks: RFC 1918, unique-local, carrier-grade NAT
             * and loopback (an internal endpoint). Link-local (the metadata service) and the other
             * special-purpose ranges stay refused.
             */
            allowPrivateNetworks: z.boolean().default(false),
            /** Allow URLs resolving to loopback only (a receiver on the same host, as in the demo). */
            allowLoopback: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    worker: WorkerSchema,
  })
  .strict();

export type FactoryConfig = z.infer<typeof ConfigSchema>;
export type OrganizationalUnitConfig = z.infer<typeof OrganizationalUnitSchema>;
export type StackSetConfig = z.infer<typeof StackSetSchema>;
export type PermissionSetConfig = z.infer<typeof PermissionSetSchema>;
export type AccessGrant = z.infer<typeof AccessGrantSchema>;
export type TeamConfig = z.infer<typeof TeamSchema>;
export type { AlternateContactConfig, HardeningConfig } from './hardening-schema';
export type ApiConfig = z.infer<typeof ApiSchema>;
