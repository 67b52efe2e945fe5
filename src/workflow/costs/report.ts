import { roundUsd } from '../../domain/costs';
import type { Principal } from '../../domain/principal';
import { listCosts, type AccountCostView, type CostsDeps } from './read-costs';

/** Showback: one row per cost centre and team. */
export interface ShowbackRow {
  costCenter: string;
  team: string;
  accounts: number;
  limitUsd: number;
  actualUsd: number;
  forecastUsd: number;
  shareUsedPercent: number;
  alertsFired: number;
  frozenAccounts: number;
  anomalies: number;
  /** The oldest collection time among the rows' actual figures: the row is at least this fresh. */
  actualAsOf?: string;
}

function row(costCenter: string, team: string, items: AccountCostView[]): ShowbackRow {
  const sum = (f: (i: AccountCostView) => number) => roundUsd(items.reduce((a, i) => a + f(i), 0));
  const limitUsd = sum((i) => i.limit.usd);
  const actualUsd = sum((i) => i.actual.usd);
  const times = items
    .map((i) => i.actual.at)
    .filter((t): t is string => t !== undefined)
    .sort();
  return {
    costCenter,
    team,
    accounts: items.length,
    limitUsd,
    actualUsd,
    forecastUsd: sum((i) => i.forecast?.usd ?? i.actual.usd),
    shareUsedPercent: limitUsd > 0 ? roundUsd((actualUsd / limitUsd) * 100) : 0,
    alertsFired: items.reduce((a, i) => a + i.alerts.length, 0),
    frozenAccounts: items.filter((i) => i.freeze.state === 'FROZEN').length,
    anomalies: items.reduce((a, i) => a + i.anomalies.length, 0),
    ...(times.length > 0 && items.every((i) => i.actual.at) ? { actualAsOf: times[0] } : {}),
  };
}

/** The month's showback by cost centre and team, over the accounts the principal may see. */
export async function showback(
  deps: CostsDeps,
  principal: Principal,
  month: string | undefined,
): Promise<{ month: string; rows: ShowbackRow[] }> {
  const costs = await listCosts(deps, principal, month === undefined ? {} : { month });
  const groups = new Map<string, AccountCostView[]>();
  for (const item of costs.items) {
    const key = JSON.stringify([item.costCenter, item.team]);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  const rows = [...groups]
    .map(([key, items]) => {
      const [cc, team] = JSON.parse(key) as [string, string];
      return row(cc, team, items);
    })
    .sort((a, b) => a.costCenter.localeCompare(b.costCenter) || a.team.localeCompare(b.team));
  return { month: costs.month, rows };
}

const COLUMNS: Array<keyof ShowbackRow> = [
  'costCenter',
  'team',
  'accounts',
  'limitUsd',
  'actualUsd',
  'forecastUsd',
  'shareUsedPercent',
  'alertsFired',
  'frozenAccounts',
  'anomalies',
  'actualAsOf',
];

/** RFC 4180: quoted when needed; a leading = + - @ is defused so a spreadsheet shows it as text. */
function cell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function showbackCsv(month: string, rows: ShowbackRow[]): string {
  const lines = [['month', ...COLUMNS].join(',')];
  for (const r of rows) lines.push([month, ...COLUMNS.map((c) => r[c])].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
