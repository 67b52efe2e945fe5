import { z } from 'zod';
import {
  AccountSpecSchema,
  ControlsSummarySchema,
  PHASES,
  QueuePositionSchema,
  REQUEST_STATUSES,
  StepSchema,
  type RequestRecord,
} from '../src/domain/account-request';

/**
 * What the API shows of a request. Deliberately not the record: lease fields, versions and the
 * handles of AWS operations in flight are the reconciler's business.
 */
export const RequestViewSchema = z
  .object({
    id: z.string(),
    status: z.enum(REQUEST_STATUSES),
    phase: z.enum(PHASES),
    team: z.string(),
    accountId: z.string().optional(),
    request: AccountSpecSchema.describe('the request as accepted, with config defaults applied'),
    steps: z.array(StepSchema),
    controls: ControlsSummarySchema.optional(),
    queue: QueuePositionSchema.optional().describe(
      'while QUEUED: the place in the organisation-wide fair queue for a CreateAccount slot',
    ),
    awsCalls: z.number().int().optional().describe('AWS API calls made for this request so far'),
    error: z.object({ code: z.string(), message: z.string(), phase: z.enum(PHASES).optional() }).optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string(),
  })
  .meta({ id: 'AccountRequest' });
export type RequestView = z.infer<typeof RequestViewSchema>;

export const RequestPageSchema = z.object({
  items: z.array(RequestViewSchema),
  nextCursor: z.string().optional().describe('pass as `cursor` to get the next page'),
});

export function toRequestView(record: RequestRecord): RequestView {
  return {
    id: record.id,
    status: record.status,
    phase: record.phase,
    team: record.team,
    ...(record.accountId === undefined ? {} : { accountId: record.accountId }),
    request: record.spec,
    steps: record.steps,
    ...(record.controls === undefined ? {} : { controls: record.controls }),
    ...(record.status === 'QUEUED' && record.queue !== undefined ? { queue: record.queue } : {}),
    ...(record.awsCalls === undefined ? {} : { awsCalls: record.awsCalls }),
    ...(record.error === undefined ? {} : { error: record.error }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    createdBy: record.createdBy,
  };
}
