import { z } from 'zod';
import {
  ACCOUNT_STATES,
  AccountSpecSchema,
  REQUEST_STATUSES,
  type RequestRecord,
} from '../src/domain/account-request';
import { ControlsSummarySchema, VerificationSchema } from '../src/domain/compliance';
import { redeployStatus, type Redeploy } from '../src/workflow/lifecycle/redeploys';

/** After a move: the account's StackSet instances following it to its new OU. */
export const BaselineRedeployViewSchema = z
  .object({
    status: z.enum(['IN_PROGRESS', 'SUCCEEDED', 'FAILED']),
    stage: z
      .string()
      .describe(
        'MOVE, CREATE (instances under the new OU), DELETE (under the old one), VERIFY; then SUCCEEDED or FAILED',
      ),
    fromOrganizationalUnit: z.string(),
    toOrganizationalUnit: z.string(),
    requestedAt: z.string(),
    requestedBy: z.string(),
    finishedAt: z.string().optional(),
    detail: z.string().optional().describe('the last thing that happened; on FAILED, why'),
  })
  .meta({ id: 'BaselineRedeploy' });
export type BaselineRedeployView = z.infer<typeof BaselineRedeployViewSchema>;

export function toRedeployView(r: Redeploy): BaselineRedeployView {
  return {
    status: redeployStatus(r),
    stage: r.stage,
    fromOrganizationalUnit: r.fromOrganizationalUnit,
    toOrganizationalUnit: r.toOrganizationalUnit,
    requestedAt: r.requestedAt,
    requestedBy: r.requestedBy,
    ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
    ...(r.detail ? { detail: r.detail } : {}),
  };
}

/** The inventory record of a vended account. */
export const AccountViewSchema = z
  .object({
    accountId: z.string(),
    accountName: z.string(),
    email: z.string(),
    organizationalUnit: z.string(),
    team: z.string(),
    owner: AccountSpecSchema.shape.owner,
    costCenter: z.string(),
    budget: AccountSpecSchema.shape.budget,
    access: AccountSpecSchema.shape.access,
    tags: AccountSpecSchema.shape.tags,
    requestId: z.string(),
    requestStatus: z.enum(REQUEST_STATUSES),
    status: z
      .enum(ACCOUNT_STATES)
      .describe(
        'ACTIVE; CLOSING (closure scheduled or decommissioning); SUSPENDED (decommissioned, AWS closure pending); CLOSED',
      ),
    closeAfter: z.string().optional().describe('while CLOSING: when the decommission starts'),
    importedAt: z.string().optional(),
    controls: ControlsSummarySchema.optional(),
    lastVerifiedAt: z.string().optional(),
    baselineVersion: z.string().optional().describe('the baseline version the account last reached'),
    baselineAppliedAt: z.string().optional(),
    baselineRedeploy: BaselineRedeployViewSchema.optional().describe(
      'after a move, until a day after it succeeded (a month after it failed)',
    ),
  })
  .meta({ id: 'Account' });
export type AccountView = z.infer<typeof AccountViewSchema>;

export const ComplianceViewSchema = VerificationSchema.meta({ id: 'Compliance' });

/** The inventory record; `redeploy` is the account's latest baseline redeploy, if any. */
export function toAccountView(
  record: RequestRecord & { accountId: string },
  redeploy?: Redeploy,
): AccountView {
  const { spec } = record;
  return {
    accountId: record.accountId,
    accountName: spec.accountName,
    email: spec.email,
    organizationalUnit: spec.organizationalUnit,
    team: record.team,
    owner: spec.owner,
    costCenter: spec.costCenter,
    budget: spec.budget,
    access: spec.access,
    tags: spec.tags,
    requestId: record.id,
    requestStatus: record.status,
    status: record.lifecycle?.state ?? 'ACTIVE',
    ...(record.lifecycle?.state === 'CLOSING' && record.lifecycle.closeAfter
      ? { closeAfter: record.lifecycle.closeAfter }
      : {}),
    ...(record.lifecycle?.importedAt ? { importedAt: record.lifecycle.importedAt } : {}),
    ...(record.controls ? { controls: record.controls } : {}),
    ...(record.lastVerification ? { lastVerifiedAt: record.lastVerification.verifiedAt } : {}),
    ...(record.baseline
      ? { baselineVersion: record.baseline.version, baselineAppliedAt: record.baseline.appliedAt }
      : {}),
    ...(redeploy ? { baselineRedeploy: toRedeployView(redeploy) } : {}),
  };
}
