import type {
  AnomalyMonitor,
  AnomalySubscription,
  AnomalySubscriptionSpec,
  CostAllocationTagStatus,
  CostExplorerPort,
  DailyCost,
  DetectedAnomaly,
  MonitorScope,
  Page,
} from '../../../src/domain/ports/costs';

/**
 * Cost Explorer in memory: a bill of daily costs the test sets, pages of `rowsPerPage` rows, a
 * forecast per account, monitors, subscriptions, anomalies and tag statuses. `calls` counts each
 * operation by its IAM name, as the call plan does.
 */
export class FakeCostExplorer implements CostExplorerPort {
  readonly bill: DailyCost[] = [];
  readonly forecasts = new Map<string, number>();
  readonly monitors: Array<AnomalyMonitor & { scope: MonitorScope }> = [];
  readonly subscriptions: AnomalySubscription[] = [];
  readonly detected: DetectedAnomaly[] = [];
  readonly tags = new Map<string, CostAllocationTagStatus>();
  readonly calls: Record<string, number> = {};
  rowsPerPage = 1000;

  private count(op: string): void {
    this.calls[op] = (this.calls[op] ?? 0) + 1;
  }

  dailyCosts(input: { start: string; end: string; pageToken?: string }): Promise<Page<DailyCost>> {
    this.count('ce:GetCostAndUsage');
    const rows = this.bill.filter((r) => r.date >= input.start && r.date < input.end);
    const from = Number(input.pageToken ?? 0);
    const next = from + this.rowsPerPage;
    return Promise.resolve({
      items: rows.slice(from, next),
      ...(next < rows.length ? { nextPageToken: String(next) } : {}),
    });
  }

  forecast(accountId: string): Promise<number | undefined> {
    this.count('ce:GetCostForecast');
    return Promise.resolve(this.forecasts.get(accountId));
  }

  listMonitors(): Promise<AnomalyMonitor[]> {
    this.count('ce:GetAnomalyMonitors');
    return Promise.resolve(this.monitors.map(({ arn, name }) => ({ arn, name })));
  }

  createMonitor(name: string, scope: MonitorScope): Promise<string> {
    this.count('ce:CreateAnomalyMonitor');
    const arn = `arn:aws:ce::123456789012:anomalymonitor/${this.monitors.length + 1}`;
    this.monitors.push({ arn, name, scope });
    return Promise.resolve(arn);
  }

  listSubscriptions(): Promise<AnomalySubscription[]> {
    this.count('ce:GetAnomalySubscriptions');
    return Promise.resolve(this.subscriptions.map((s) => ({ ...s })));
  }

  createSubscription(spec: AnomalySubscriptionSpec): Promise<string> {
    this.count('ce:CreateAnomalySubscription');
    const arn = `arn:aws:ce::123456789012:anomalysubscription/${this.subscriptions.length + 1}`;
    this.subscriptions.push({ ...spec, arn });
    return Promise.resolve(arn);
  }

  updateSubscription(arn: string, spec: AnomalySubscriptionSpec): Promise<void> {
    this.count('ce:UpdateAnomalySubscription');
    const i = this.subscriptions.findIndex((s) => s.arn === arn);
    this.subscriptions[i] = { ...spec, arn };
    return Promise.resolve();
  }

  anomalies(): Promise<Page<DetectedAnomaly>> {
    this.count('ce:GetAnomalies');
    return Promise.resolve({ items: [...this.detected] });
  }

  costAllocationTags(keys: string[]): Promise<Record<string, CostAllocationTagStatus>> {
    this.count('ce:ListCostAllocationTags');
    return Promise.resolve(Object.fromEntries(keys.map((k) => [k, this.tags.get(k) ?? 'NotFound'])));
  }

  activateCostAllocationTags(keys: string[]): Promise<Array<{ key: string; reason: string }>> {
    this.count('ce:UpdateCostAllocationTagsStatus');
    for (const k of keys) this.tags.set(k, 'Active');
    return Promise.resolve([]);
  }
}
