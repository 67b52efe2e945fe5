import { awsError, jsonResponse, type AwsCall } from '../protocol';
import type { Behaviour, BehaviourContext, Handled } from '../upstream';
import type { BillingLedger } from './ledger';

type Json = Record<string, unknown>;
const ok = (body: unknown): Handled => ({ response: jsonResponse(body), outcome: 'executed' });
const money = (usd: number) => ({ Amount: usd.toFixed(10), Unit: 'USD' });

/** Rows per GetCostAndUsage page, small so that pagination is exercised. */
export const ROWS_PER_PAGE = 50;
/** An anomaly below this impact is not reported (AWS has its own noise floor). */
const ANOMALY_MINIMUM_USD = 10;

interface Monitor {
  MonitorArn: string;
  MonitorName: string;
  MonitorType: string;
  MonitorSpecification?: Json;
}

/**
 * Cost Explorer as AWS answers it, from the ledger: GetCostAndUsage (daily, grouped by linked
 * account, paginated), GetCostForecast, anomaly monitors, subscriptions and anomalies, and cost
 * allocation tags. moto serves GetCostAndUsage only from results injected per request body (and
 * caches the first answer per body, so a bill that grows during the day cannot be shown); it has
 * none of the rest.
 */
export function costExplorerBehaviour(ctx: BehaviourContext, ledger: BillingLedger): Behaviour {
  const monitors: Monitor[] = [];
  const subscriptions: Json[] = [];
  const tags = new Map<string, 'Active' | 'Inactive'>();
  let serial = 0;
  const arn = (kind: string) => `arn:aws:ce::123456789012:${kind}/${String(++serial).padStart(8, '0')}`;
  void ctx;

  function costAndUsage(call: AwsCall): Handled {
    const period = call.json.TimePeriod as { Start: string; End: string };
    const rows = ledger.rows(period.Start, period.End);
    const from = Number(call.json.NextPageToken ?? 0);
    const page = rows.slice(from, from + ROWS_PER_PAGE);
    const byDay = new Map<string, Json[]>();
    for (const r of page)
      byDay.set(r.date, [
        ...(byDay.get(r.date) ?? []),
        { Keys: [r.accountId], Metrics: { UnblendedCost: money(r.usd) } },
      ]);
    const today = ledger.today();
    return ok({
      GroupDefinitions: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
      ResultsByTime: [...byDay].map(([date, Groups]) => ({
        TimePeriod: { Start: date, End: date },
        Total: {},
        Groups,
        Estimated: date >= today,
      })),
      ...(from + ROWS_PER_PAGE < rows.length ? { NextPageToken: String(from + ROWS_PER_PAGE) } : {}),
    });
  }

  function forecast(call: AwsCall): Handled {
    const period = call.json.TimePeriod as { Start: string; End: string };
    const filter = JSON.stringify(call.json.Filter ?? {});
    const accountId = /"LINKED_ACCOUNT","Values":\["(\d{12})"\]/.exec(filter)?.[1] ?? '';
    const usd = ledger.forecast(accountId, period.Start, period.End);
    if (usd === undefined)
      return {
        response: awsError(call, 400, 'DataUnavailableException', 'Insufficient amount of historical data'),
        outcome: 'failed',
      };
    return ok({ Total: money(usd), ForecastResultsByTime: [] });
  }

  function anomalies(): Handled {
    const list = ledger.spikes(ANOMALY_MINIMUM_USD).flatMap((s) => {
      const monitor =
        monitors.find((m) => JSON.stringify(m.MonitorSpecification ?? {}).includes(`"${s.accountId}"`)) ??
        monitors[0];
      if (!monitor) return [];
      const impact = s.usd - s.expected;
      return [
        {
          AnomalyId: `anomaly-${s.accountId}-${s.date}`,
          AnomalyStartDate: s.date,
          AnomalyEndDate: s.date,
          MonitorArn: monitor.MonitorArn,
          AnomalyScore: { MaxScore: Math.min(1, impact / Math.max(s.usd, 1)), CurrentScore: 0 },
          Impact: {
            MaxImpact: impact,
            TotalImpact: impact,
            TotalActualSpend: s.usd,
            TotalExpectedSpend: s.expected,
          },
          RootCauses: [
            {
              Service: 'Amazon Elastic Compute Cloud - Compute',
              Region: 'us-east-1',
              LinkedAccount: s.accountId,
            },
          ],
        },
      ];
    });
    return ok({ Anomalies: list });
  }

  return {
    handlers: {
      'ce:GetCostAndUsage': (call) => Promise.resolve(costAndUsage(call)),
      'ce:GetCostForecast': (call) => Promise.resolve(forecast(call)),
      'ce:GetAnomalies': () => Promise.resolve(anomalies()),
      'ce:GetAnomalyMonitors': () => Promise.resolve(ok({ AnomalyMonitors: monitors })),
      'ce:CreateAnomalyMonitor': (call) => {
        const m = call.json.AnomalyMonitor as Monitor;
        const created = { ...m, MonitorArn: arn('anomalymonitor') };
        monitors.push(created);
        return Promise.resolve({
          ...ok({ MonitorArn: created.MonitorArn }),
          detail: { name: m.MonitorName },
        });
      },
      'ce:GetAnomalySubscriptions': () => Promise.resolve(ok({ AnomalySubscriptions: subscriptions })),
      'ce:CreateAnomalySubscription': (call) => {
        const s = { ...(call.json.AnomalySubscription as Json), SubscriptionArn: arn('anomalysubscription') };
        subscriptions.push(s);
        return Promise.resolve(ok({ SubscriptionArn: s.SubscriptionArn }));
      },
      'ce:UpdateAnomalySubscription': (call) => {
        const s = subscriptions.find((x) => x.SubscriptionArn === call.json.SubscriptionArn);
        if (!s)
          return Promise.resolve({
            response: awsError(call, 400, 'UnknownSubscriptionException', 'no such subscription'),
            outcome: 'failed' as const,
          });
        for (const k of ['MonitorArnList', 'Subscribers', 'Frequency', 'ThresholdExpression'])
          if (call.json[k] !== undefined) s[k] = call.json[k];
        return Promise.resolve(ok({ SubscriptionArn: s.SubscriptionArn }));
      },
      'ce:ListCostAllocationTags': (call) => {
        const keys = (call.json.TagKeys as string[] | undefined) ?? [...tags.keys()];
        const found = keys
          .filter((k) => tags.has(k))
          .map((k) => ({ TagKey: k, Type: 'UserDefined', Status: tags.get(k) }));
        return Promise.resolve(ok({ CostAllocationTags: found }));
      },
      'ce:UpdateCostAllocationTagsStatus': (call) => {
        for (const t of call.json.CostAllocationTagsStatus as Array<{
          TagKey: string;
          Status: 'Active' | 'Inactive';
        }>)
          tags.set(t.TagKey, t.Status);
        return Promise.resolve(ok({ Errors: [] }));
      },
    },
  };
}
