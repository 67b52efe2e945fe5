import { api } from './api';
import { apiServes } from './features';

/** A figure and when it was collected (absent: not collected yet). */
export interface Figure {
  usd: number;
  at?: string;
}

/** One account's month as `GET /v1/costs` serves it. */
export interface AccountCost {
  accountId: string;
  accountName: string;
  team: string;
  costCenter: string;
  limit: Figure;
  actual: Figure & { estimated: boolean };
  forecast?: Figure;
  shareUsedPercent: number;
  alerts: Array<{ type: string; thresholdPercent: number; firedAt: string; amountUsd: number }>;
  freeze: { state: string; status?: string; at?: string };
  anomalies: Array<{ id: string; impactUsd: number; startDate: string }>;
}

export interface Costs {
  month: string;
  items: AccountCost[];
  collection: { lastFinishedAt?: string; running?: string; errors: string[] };
}

export interface AccountSpend {
  accountId: string;
  spendUsd?: number;
  forecastUsd?: number;
}

/** This month's costs; `undefined` while the factory serves no cost API. */
export async function monthCosts(): Promise<Costs | undefined> {
  if (!(await apiServes('/v1/costs'))) return undefined;
  return api<Costs>('GET', '/v1/costs');
}

/** Spend by account, only the figures already collected. */
export function spendOf(costs: Costs): Map<string, AccountSpend> {
  return new Map(
    costs.items.map((c): [string, AccountSpend] => [
      c.accountId,
      {
        accountId: c.accountId,
        ...(c.actual.at ? { spendUsd: c.actual.usd } : {}),
        ...(c.forecast ? { forecastUsd: c.forecast.usd } : {}),
      },
    ]),
  );
}

/** Spend by account; `undefined` while the factory serves no cost API. */
export async function spendByAccount(): Promise<Map<string, AccountSpend> | undefined> {
  const costs = await monthCosts();
  return costs ? spendOf(costs) : undefined;
}
