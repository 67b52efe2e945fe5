import {
  CreateAnomalyMonitorCommand,
  CreateAnomalySubscriptionCommand,
  GetAnomaliesCommand,
  UpdateAnomalySubscriptionCommand,
  paginateGetAnomalyMonitors,
  paginateGetAnomalySubscriptions,
  type AnomalySubscription as SdkSubscription,
  type CostExplorerClient,
  type Expression,
} from '@aws-sdk/client-cost-explorer';
import type {
  AnomalyMonitor,
  AnomalySubscription,
  AnomalySubscriptionSpec,
  DetectedAnomaly,
  MonitorScope,
  Page,
} from '../../domain/ports/costs';
import { call } from '../errors';
import type { Pages } from '../pagination';

function specification(scope: MonitorScope): Expression {
  return scope.kind === 'account'
    ? { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [scope.accountId] } }
    : { Tags: { Key: scope.key, Values: [scope.value], MatchOptions: ['EQUALS'] } };
}

/** Absolute impact, or (when a percentage is set) absolute OR percentage. */
function threshold(spec: AnomalySubscriptionSpec): Expression {
  const absolute: Expression = {
    Dimensions: {
      Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
      Values: [String(spec.thresholdUsd)],
      MatchOptions: ['GREATER_THAN_OR_EQUAL'],
    },
  };
  if (spec.thresholdPercent === undefined) return absolute;
  const percent: Expression = {
    Dimensions: {
      Key: 'ANOMALY_TOTAL_IMPACT_PERCENTAGE',
      Values: [String(spec.thresholdPercent)],
      MatchOptions: ['GREATER_THAN_OR_EQUAL'],
    },
  };
  return { Or: [absolute, percent] };
}

function subscriptionInput(spec: AnomalySubscriptionSpec) {
  return {
    SubscriptionName: spec.name,
    MonitorArnList: spec.monitorArns,
    Subscribers: spec.emails.map((Address) => ({ Type: 'EMAIL' as const, Address })),
    Frequency: spec.frequency,
    ThresholdExpression: threshold(spec),
  };
}

function thresholdsOf(expression: Expression | undefined): { usd: number; percent?: number } {
  const parts = expression?.Or ?? (expression ? [expression] : []);
  const value = (key: string) => parts.find((p) => p.Dimensions?.Key === key)?.Dimensions?.Values?.[0];
  const percent = value('ANOMALY_TOTAL_IMPACT_PERCENTAGE');
  return {
    usd: Number(value('ANOMALY_TOTAL_IMPACT_ABSOLUTE') ?? 0),
    ...(percent === undefined ? {} : { percent: Number(percent) }),
  };
}

function fromSdk(s: SdkSubscription): AnomalySubscription {
  const t = thresholdsOf(s.ThresholdExpression);
  return {
    arn: s.SubscriptionArn ?? '',
    name: s.SubscriptionName ?? '',
    monitorArns: s.MonitorArnList ?? [],
    emails: (s.Subscribers ?? []).flatMap((x) => (x.Type === 'EMAIL' && x.Address ? [x.Address] : [])),
    frequency: s.Frequency === 'WEEKLY' ? 'WEEKLY' : 'DAILY',
    thresholdUsd: t.usd,
    ...(t.percent === undefined ? {} : { thresholdPercent: t.percent }),
  };
}

/** ce:GetAnomalyMonitors — every monitor of the payer account. */
export async function listMonitors(pages: Pages<CostExplorerClient>): Promise<AnomalyMonitor[]> {
  const monitors = await pages.collect(
    'ce:GetAnomalyMonitors',
    paginateGetAnomalyMonitors,
    {},
    (page) => page.AnomalyMonitors,
  );
  return monitors.map((m) => ({ arn: m.MonitorArn ?? '', name: m.MonitorName ?? '' }));
}

/** ce:CreateAnomalyMonitor — a customer-managed monitor of one account or one cost allocation tag value. */
export async function createMonitor(
  client: CostExplorerClient,
  name: string,
  scope: MonitorScope,
): Promise<string> {
  const out = await call('ce:CreateAnomalyMonitor', () =>
    client.send(
      new CreateAnomalyMonitorCommand({
        AnomalyMonitor: {
          MonitorName: name,
          MonitorType: 'CUSTOM',
          MonitorSpecification: specification(scope),
        },
      }),
    ),
  );
  return out.MonitorArn ?? '';
}

/** ce:GetAnomalySubscriptions — every subscription of the payer account. */
export async function listSubscriptions(pages: Pages<CostExplorerClient>): Promise<AnomalySubscription[]> {
  const subs = await pages.collect(
    'ce:GetAnomalySubscriptions',
    paginateGetAnomalySubscriptions,
    {},
    (page) => page.AnomalySubscriptions,
  );
  return subs.map(fromSdk);
}

/** ce:CreateAnomalySubscription — e-mail alerts for anomalies of these monitors over the thresholds. */
export async function createSubscription(
  client: CostExplorerClient,
  spec: AnomalySubscriptionSpec,
): Promise<string> {
  const out = await call('ce:CreateAnomalySubscription', () =>
    client.send(new CreateAnomalySubscriptionCommand({ AnomalySubscription: subscriptionInput(spec) })),
  );
  return out.SubscriptionArn ?? '';
}

/** ce:UpdateAnomalySubscription — subscribers, monitors, frequency and thresholds replaced. */
export async function updateSubscription(
  client: CostExplorerClient,
  arn: string,
  spec: AnomalySubscriptionSpec,
): Promise<void> {
  const input = subscriptionInput(spec);
  await call('ce:UpdateAnomalySubscription', () =>
    client.send(
      new UpdateAnomalySubscriptionCommand({
        SubscriptionArn: arn,
        MonitorArnList: input.MonitorArnList,
        Subscribers: input.Subscribers,
        Frequency: input.Frequency,
        ThresholdExpression: input.ThresholdExpression,
      }),
    ),
  );
}

/** ce:GetAnomalies — one page of the anomalies detected between `start` and `end`. */
export async function anomalies(
  client: CostExplorerClient,
  input: { start: string; end: string; pageToken?: string },
): Promise<Page<DetectedAnomaly>> {
  const out = await call('ce:GetAnomalies', () =>
    client.send(
      new GetAnomaliesCommand({
        DateInterval: { StartDate: input.start, EndDate: input.end },
        ...(input.pageToken ? { NextPageToken: input.pageToken } : {}),
      }),
    ),
  );
  const items = (out.Anomalies ?? []).map((a): DetectedAnomaly => {
    const cause = a.RootCauses?.[0];
    const rootCause = [cause?.Service, cause?.Region, cause?.UsageType].filter(Boolean).join(' / ');
    return {
      id: a.AnomalyId ?? '',
      monitorArn: a.MonitorArn ?? '',
      startDate: a.AnomalyStartDate ?? '',
      ...(a.AnomalyEndDate ? { endDate: a.AnomalyEndDate } : {}),
      impactUsd: a.Impact?.TotalImpact ?? a.Impact?.MaxImpact ?? 0,
      maxScore: a.AnomalyScore?.MaxScore ?? 0,
      ...(cause?.LinkedAccount ? { accountId: cause.LinkedAccount } : {}),
      ...(rootCause ? { rootCause } : {}),
    };
  });
  return { items, ...(out.NextPageToken ? { nextPageToken: out.NextPageToken } : {}) };
}
