import { z } from 'zod';
import {
  AccountSpecSchema,
  ControlsSummarySchema,
  PHASES,
  QueuePositionSchema,
  REQUEST_STATUSES,
  RequestEventSchema,
  StepSchema,
  type RequestRecord,
} from '../src/domain/account-request';
import { DeliveryStateSchema, type DeliveryState } from '../src/workflow/notify/delivery-state';

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
    webhook: z
      .object({ url: z.string() })
      .optional()
      .describe("where the request's events are posted (the secret is never shown)"),
    events: z
      .array(RequestEventSchema)
      .optional()
      .describe('single request only: its latest events (status changes, lifecycle, drift), oldest first'),
    deliveries: DeliveryStateSchema.optional().describe(
      'single request only: how its events fared per target, and the deliveries given up',
    ),
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

/** What only the single-request view adds: the events and how their deliveries fared. */
export interface RequestViewExtras {
  deliveries?: DeliveryState;
}

export function toRequestView(record: RequestRecord, extras?: RequestViewExtras): RequestView {
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
    ...(record.webhook ? { webhook: { url: record.webhook.url } } : {}),
    ...(extras && record.events ? { events: record.events } : {}),
    ...(extras?.deliveries ? { deliveries: extras.deliveries } : {}),
    ...(record.error === undefined ? {} : { error: record.error }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    createdBy: record.createdBy,
  };
}
