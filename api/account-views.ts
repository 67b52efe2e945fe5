import { z } from 'zod';
import { AccountSpecSchema, REQUEST_STATUSES, type RequestRecord } from '../src/domain/account-request';
import { ControlsSummarySchema, VerificationSchema } from '../src/domain/compliance';

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
    controls: ControlsSummarySchema.optional(),
    lastVerifiedAt: z.string().optional(),
  })
  .meta({ id: 'Account' });
export type AccountView = z.infer<typeof AccountViewSchema>;

export const ComplianceViewSchema = VerificationSchema.meta({ id: 'Compliance' });

export function toAccountView(record: RequestRecord & { accountId: string }): AccountView {
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
    ...(record.controls ? { controls: record.controls } : {}),
    ...(record.lastVerification ? { lastVerifiedAt: record.lastVerification.verifiedAt } : {}),
  };
}
