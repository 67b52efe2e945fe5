/**
 * The behaviour layer's bill: unblended cost per account per UTC day, seeded by tests and the demo
 * (`POST /avf-behaviour/billing/spend`). Cost Explorer, Budgets' calculated spend, forecasts and
 * anomalies are all answered from it, so they agree with each other as on AWS.
 */
export class BillingLedger {
  private readonly days = new Map<string, Map<string, number>>();

  constructor(private readonly now: () => number) {}

  add(accountId: string, date: string, usd: number): void {
    const account = this.days.get(accountId) ?? new Map<string, number>();
    account.set(date, (account.get(date) ?? 0) + usd);
    this.days.set(accountId, account);
  }

  today(): string {
    return new Date(this.now()).toISOString().slice(0, 10);
  }

  /** Rows of [start, end) with spend, sorted by date then account. */
  rows(start: string, end: string): Array<{ date: string; accountId: string; usd: number }> {
    const rows: Array<{ date: string; accountId: string; usd: number }> = [];
    for (const [accountId, days] of this.days)
      for (const [date, usd] of days) if (date >= start && date < end) rows.push({ date, accountId, usd });
    return rows.sort((a, b) => a.date.localeCompare(b.date) || a.accountId.localeCompare(b.accountId));
  }

  /** The account's spend in [start, end). */
  total(accountId: string, start: string, end: string): number {
    let sum = 0;
    for (const [date, usd] of this.days.get(accountId) ?? []) if (date >= start && date < end) sum += usd;
    return sum;
  }

  /** This month so far, and a straight-line forecast of the whole month. */
  month(accountId: string): { actual: number; forecast: number; start: string; end: string } {
    const now = new Date(this.now());
    const start = `${now.toISOString().slice(0, 7)}-01`;
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const end = next.toISOString().slice(0, 10);
    const actual = this.total(accountId, start, end);
    const daysGone = now.getUTCDate();
    const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
    return { actual, forecast: (actual / daysGone) * daysInMonth, start, end };
  }

  /** Straight-line forecast for [start, end): the account's average day so far this month × days. */
  forecast(accountId: string, start: string, end: string): number | undefined {
    const m = this.month(accountId);
    if (m.actual === 0) return undefined;
    const perDay = m.actual / new Date(this.now()).getUTCDate();
    const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000;
    return perDay * days;
  }

  /**
   * Days whose spend is far above the account's usual (more than twice the mean of the days
   * before it, and at least `minimumUsd` above it): what Cost Anomaly Detection would report.
   */
  spikes(minimumUsd: number): Array<{ accountId: string; date: string; usd: number; expected: number }> {
    const found: Array<{ accountId: string; date: string; usd: number; expected: number }> = [];
    for (const [accountId, days] of this.days) {
      const sorted = [...days].sort(([a], [b]) => a.localeCompare(b));
      sorted.forEach(([date, usd], i) => {
        const before = sorted.slice(Math.max(0, i - 7), i).map(([, v]) => v);
        const expected = before.length === 0 ? 0 : before.reduce((a, b) => a + b, 0) / before.length;
        if (before.length > 0 && usd > 2 * expected && usd - expected >= minimumUsd)
          found.push({ accountId, date, usd, expected });
      });
    }
    return found;
  }
}
