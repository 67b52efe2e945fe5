import { html } from 'htm/preact';
import { api } from '../api';
import { spendByAccount, type AccountSpend } from '../costs';
import { ErrorBox, usd } from '../components';
import { useLoad } from '../hooks';
import type { AccountView, Page } from '../types';

/** One row of the finance table: the budgets of one team's accounts under one cost centre. */
export interface BudgetRow {
  team: string;
  costCenter: string;
  accounts: number;
  limitUsd: number;
  thresholds: string;
  spendUsd?: number;
  forecastUsd?: number;
}

type Spend = Map<string, AccountSpend>;

async function allAccounts(): Promise<AccountView[]> {
  const all: AccountView[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<Page<AccountView>>(
      'GET',
      `/v1/accounts?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

export function budgetRows(accounts: AccountView[], spend: Spend | undefined): BudgetRow[] {
  const rows = new Map<string, BudgetRow>();
  for (const a of accounts.filter((x) => x.status !== 'CLOSED')) {
    const key = `${a.team}\u0000${a.costCenter}`;
    const row = rows.get(key) ?? {
      team: a.team,
      costCenter: a.costCenter,
      accounts: 0,
      limitUsd: 0,
      thresholds: '',
    };
    row.accounts += 1;
    row.limitUsd += a.budget.monthlyLimitUsd;
    const thresholds = new Set([
      ...row.thresholds.split(', ').filter(Boolean),
      ...a.budget.thresholdsPercent.map((t) => `${t}%`),
    ]);
    row.thresholds = [...thresholds].join(', ');
    const s = spend?.get(a.accountId);
    if (s?.spendUsd !== undefined) row.spendUsd = (row.spendUsd ?? 0) + s.spendUsd;
    if (s?.forecastUsd !== undefined) row.forecastUsd = (row.forecastUsd ?? 0) + s.forecastUsd;
    rows.set(key, row);
  }
  return [...rows.values()].sort(
    (x, y) => x.team.localeCompare(y.team) || x.costCenter.localeCompare(y.costCenter),
  );
}

const csvCell = (v: string | number | undefined): string => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows: BudgetRow[]): string {
  const head = ['team', 'costCentre', 'accounts', 'monthlyLimitUsd', 'thresholds', 'spendUsd', 'forecastUsd'];
  const lines = rows.map((r) =>
    [r.team, r.costCenter, r.accounts, r.limitUsd, r.thresholds, r.spendUsd, r.forecastUsd]
      .map(csvCell)
      .join(','),
  );
  return [head.join(','), ...lines].join('\n') + '\n';
}

/** The month as bars: each row's limit, and its spend over it where known. */
function Chart({ rows }: { rows: BudgetRow[] }) {
  const max = Math.max(1, ...rows.map((r) => Math.max(r.limitUsd, r.spendUsd ?? 0)));
  const barH = 22;
  const height = rows.length * (barH + 10) + 10;
  return html`<figure>
    <svg
      role="img"
      aria-labelledby="chart-title"
      width="100%"
      height=${height}
      viewBox=${`0 0 600 ${height}`}
    >
      <title id="chart-title">
        Monthly budget limit${rows.some((r) => r.spendUsd !== undefined) ? ' and spend' : ''} by team and cost
        centre
      </title>
      ${rows.map((r, i) => {
        const y = 10 + i * (barH + 10);
        const w = (n: number) => Math.max(2, (n / max) * 380);
        return html`<g key=${i}>
          <text x="0" y=${y + 15} class="chart-label">${r.team} · ${r.costCenter}</text>
          <rect x="200" y=${y} width=${w(r.limitUsd)} height=${barH} class="bar-limit" />
          ${r.spendUsd !== undefined && html`<rect x="200" y=${y + 6} width=${w(r.spendUsd)} height=${barH - 12} class="bar-spend" />`}
        </g>`;
      })}
    </svg>
    <figcaption>
      Bars: the month's
      limit${rows.some((r) => r.spendUsd !== undefined) ? '; inner bars: spend so far' : ''}.
    </figcaption>
  </figure>`;
}

/** Budgets by team and cost centre: limits and thresholds, spend and forecast where known, CSV. */
export function Finance() {
  const data = useLoad(async () => {
    const [accounts, spend] = await Promise.all([allAccounts(), spendByAccount()]);
    return { rows: budgetRows(accounts, spend), hasSpend: spend !== undefined };
  }, []);
  const rows = data.data?.rows ?? [];
  const csvHref = `data:text/csv;charset=utf-8,${encodeURIComponent(toCsv(rows))}`;
  return html`<h1>Finance</h1>
    <p>Budgets of the vended accounts, by team and cost centre, for this month.</p>
    <${ErrorBox} error=${data.error} />
    ${data.data && !data.data.hasSpend && html`<p class="notice" role="status">No spend data yet: the table shows limits and alert thresholds.</p>`}
    ${
      data.data &&
      html`<table>
          <caption>
            Budgets by team and cost centre
          </caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Cost centre</th>
              <th scope="col">Accounts</th>
              <th scope="col">Monthly limit</th>
              <th scope="col">Alert thresholds</th>
              <th scope="col">Spend</th>
              <th scope="col">Forecast</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr key=${`${r.team}/${r.costCenter}`}>
                  <td>${r.team}</td>
                  <td>${r.costCenter}</td>
                  <td>${r.accounts}</td>
                  <td>${usd(r.limitUsd)}</td>
                  <td>${r.thresholds}</td>
                  <td>${r.spendUsd === undefined ? 'no data' : usd(r.spendUsd)}</td>
                  <td>${r.forecastUsd === undefined ? 'no data' : usd(r.forecastUsd)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${rows.length === 0 && html`<p>No vended accounts yet.</p>`}
        <p><a class="button secondary" href=${csvHref} download="avf-budgets.csv">Export CSV</a></p>
        ${rows.length > 0 && html`<${Chart} rows=${rows} />`}`
    }`;
}
