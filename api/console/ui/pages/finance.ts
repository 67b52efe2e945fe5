import { html } from 'htm/preact';
import { api } from '../api';
import { monthCosts, spendOf, type AccountCost, type AccountSpend } from '../costs';
import { ErrorBox, Status, usd, when } from '../components';
import { MonthChart } from './finance-chart';
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

const asOf = (at: string | undefined) => (at ? html`<br /><small>as of ${when(at)}</small>` : '');

const ACCOUNT_COLUMNS = [
  'Account',
  'Team',
  'Cost centre',
  'Limit',
  'Actual',
  'Forecast',
  'Used',
  'Alerts fired',
  'Freeze',
];

/** Spend per account from GET /v1/costs, each figure with when it was collected. */
function AccountCosts({ items }: { items: AccountCost[] }) {
  return html`<table>
    <caption>
      Spend per account this month
    </caption>
    <thead>
      <tr>
        ${ACCOUNT_COLUMNS.map((c) => html`<th scope="col">${c}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${items.map(
        (c) =>
          html`<tr key=${c.accountId}>
            <th scope="row">${c.accountName} <small>${c.accountId}</small></th>
            <td>${c.team}</td>
            <td>${c.costCenter}</td>
            <td>${usd(c.limit.usd)}</td>
            <td>${c.actual.at ? html`${usd(c.actual.usd)}${asOf(c.actual.at)}` : 'no data'}</td>
            <td>${c.forecast ? html`${usd(c.forecast.usd)}${asOf(c.forecast.at)}` : 'no data'}</td>
            <td>${c.actual.at ? `${Math.round(c.shareUsedPercent)}%` : ''}</td>
            <td>
              ${c.alerts.length === 0 ? 'none' : c.alerts.map((a) => html`<div>${a.thresholdPercent}% ${a.type.toLowerCase()}, ${when(a.firedAt)}</div>`)}
            </td>
            <td><${Status} value=${c.freeze.state} /></td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** Budgets by team and cost centre, spend per account with its freshness, the month's chart, CSV. */
export function Finance() {
  const data = useLoad(async () => {
    const [accounts, costs] = await Promise.all([allAccounts(), monthCosts()]);
    const items = costs?.items ?? [];
    return {
      rows: budgetRows(accounts, costs && spendOf(costs)),
      costs,
      hasSpend: items.some((c) => c.actual.at !== undefined),
    };
  }, []);
  const rows = data.data?.rows ?? [];
  const costs = data.data?.costs;
  const items = costs?.items ?? [];
  const total = (f: (c: AccountCost) => number | undefined) => items.reduce((n, c) => n + (f(c) ?? 0), 0);
  const latest =
    items
      .map((c) => c.actual.at ?? '')
      .sort()
      .pop() || undefined;
  const forecastKnown = items.some((c) => c.forecast);
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
        <p>
          <a class="button secondary" href=${csvHref} download="avf-budgets.csv">Export CSV</a>
          ${costs && html` <a class="button secondary" href=${`/v1/costs/report?month=${costs.month}&format=csv`}>Showback report (CSV)</a>`}
        </p>
        ${
          items.length > 0 &&
          html`<${MonthChart}
              month=${costs?.month ?? ''}
              limitUsd=${total((c) => c.limit.usd)}
              actualUsd=${total((c) => c.actual.usd)}
              actualAt=${latest}
              forecastUsd=${forecastKnown ? total((c) => c.forecast?.usd ?? c.actual.usd) : undefined}
            />
            <${AccountCosts} items=${items} />`
        }`
    }`;
}
