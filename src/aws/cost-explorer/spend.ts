import {
  GetCostAndUsageCommand,
  GetCostForecastCommand,
  type CostExplorerClient,
  type Expression,
} from '@aws-sdk/client-cost-explorer';
import type { DailyCost, Page } from '../../domain/ports/costs';
import { call, callTolerating } from '../errors';

/** Credits and refunds would hide spend: finance wants what was used, before them. */
export const WITHOUT_CREDITS_AND_REFUNDS: Expression = {
  Not: { Dimensions: { Key: 'RECORD_TYPE', Values: ['Credit', 'Refund'] } },
};

const usd = (amount: string | undefined): number => Number(amount ?? 0);

/** ce:GetCostAndUsage — one page: daily unblended cost per linked account, credits and refunds excluded. */
export async function dailyCosts(
  client: CostExplorerClient,
  input: { start: string; end: string; pageToken?: string },
): Promise<Page<DailyCost>> {
  const out = await call('ce:GetCostAndUsage', () =>
    client.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: input.start, End: input.end },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' }],
        Filter: WITHOUT_CREDITS_AND_REFUNDS,
        ...(input.pageToken ? { NextPageToken: input.pageToken } : {}),
      }),
    ),
  );
  const items = (out.ResultsByTime ?? []).flatMap((day) =>
    (day.Groups ?? []).flatMap((group) => {
      const accountId = group.Keys?.[0];
      const date = day.TimePeriod?.Start;
      if (!accountId || !date) return [];
      return [
        {
          date,
          accountId,
          usd: usd(group.Metrics?.UnblendedCost?.Amount),
          estimated: day.Estimated === true,
        },
      ];
    }),
  );
  return { items, ...(out.NextPageToken ? { nextPageToken: out.NextPageToken } : {}) };
}

/**
 * ce:GetCostForecast — the account's unblended cost forecast (mean) from `start` to `end`;
 * undefined when Cost Explorer has too little history (DataUnavailableException).
 */
export async function forecast(
  client: CostExplorerClient,
  accountId: string,
  start: string,
  end: string,
): Promise<number | undefined> {
  const out = await callTolerating('ce:GetCostForecast', ['DataUnavailableException'], () =>
    client.send(
      new GetCostForecastCommand({
        TimePeriod: { Start: start, End: end },
        Metric: 'UNBLENDED_COST',
        Granularity: 'MONTHLY',
        Filter: {
          And: [{ Dimensions: { Key: 'LINKED_ACCOUNT', Values: [accountId] } }, WITHOUT_CREDITS_AND_REFUNDS],
        },
      }),
    ),
  );
  return out?.Total?.Amount === undefined ? undefined : usd(out.Total.Amount);
}
