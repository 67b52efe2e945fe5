import { api } from './api';
import { apiServes } from './features';

export interface AccountSpend {
  accountId: string;
  spendUsd?: number;
  forecastUsd?: number;
}

/** Spend by account from the cost API; `undefined` while the factory serves no spend data. */
export async function spendByAccount(): Promise<Map<string, AccountSpend> | undefined> {
  if (!(await apiServes('/v1/costs'))) return undefined;
  const costs = await api<{ accounts?: AccountSpend[] }>('GET', '/v1/costs');
  return new Map((costs.accounts ?? []).map((c) => [c.accountId, c]));
}
