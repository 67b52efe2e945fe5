import type { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import type { CostExplorerPort } from '../../domain/ports/costs';
import type { ClientFactory } from '../clients';
import { Pages } from '../pagination';
import * as anomaly from './anomalies';
import { dailyCosts, forecast } from './spend';
import { activateCostAllocationTags, costAllocationTags } from './tags';

/** Cost Explorer in the payer account: spend, forecasts, anomaly detection, cost allocation tags. */
export function createCostExplorerAdapter(
  clients: ClientFactory,
  options: { maxPages?: number } = {},
): CostExplorerPort {
  const client: CostExplorerClient = clients.costExplorer();
  const pages = new Pages(client, options.maxPages);
  return {
    dailyCosts: (input) => dailyCosts(client, input),
    forecast: (accountId, start, end) => forecast(client, accountId, start, end),
    listMonitors: () => anomaly.listMonitors(pages),
    createMonitor: (name, scope) => anomaly.createMonitor(client, name, scope),
    listSubscriptions: () => anomaly.listSubscriptions(pages),
    createSubscription: (spec) => anomaly.createSubscription(client, spec),
    updateSubscription: (arn, spec) => anomaly.updateSubscription(client, arn, spec),
    anomalies: (input) => anomaly.anomalies(client, input),
    costAllocationTags: (keys) => costAllocationTags(pages, keys),
    activateCostAllocationTags: (keys) => activateCostAllocationTags(client, keys),
  };
}
