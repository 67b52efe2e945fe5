import { SPEND_PATH } from '../../local/aws-behaviour/billing';

interface CostItem {
  accountId: string;
  accountName: string;
  team: string;
  costCenter: string;
  limit: { usd: number };
  actual: { usd: number; at?: string };
  forecast?: { usd: number; at?: string };
  shareUsedPercent: number;
  alerts: unknown[];
  freeze: { state: string; status?: string; history: Array<{ status: string; at: string; by?: string }> };
  anomalies: unknown[];
}

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * The demo's finance part: seeds a bill for the vended account in the behaviour layer (a steady
 * week, then a spike — an anomaly — that takes it past its budget and its team's freeze threshold),
 * asks for a collection, prints finance's spend table from `GET /v1/costs` once the collection has
 * read it, then approves the freeze waiting for approval and releases it through the API.
 */
export async function showSpend(
  proxyEndpoint: string,
  api: { url: string; token: string },
  accountId: string,
): Promise<string[]> {
  const sameMonth = (d: string) => d.slice(0, 7) === day(0).slice(0, 7);
  const bill = [-3, -2, -1]
    .map((o) => ({ accountId, date: day(o), usd: 20 }))
    .filter((e) => sameMonth(e.date))
    .concat([{ accountId, date: day(0), usd: 600 }]);
  await fetch(`${proxyEndpoint}${SPEND_PATH}`, { method: 'POST', body: JSON.stringify(bill) });
  const headers = { authorization: `Bearer ${api.token}` };
  const seededAt = new Date().toISOString();
  await fetch(`${api.url}/v1/costs/collect`, { method: 'POST', headers });
  let items: CostItem[] = [];
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${api.url}/v1/costs`, { headers });
    items = ((await res.json()) as { items: CostItem[] }).items;
    if (items.some((x) => (x.actual.at ?? '') > seededAt && x.forecast)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const lines = [
    '',
    'spend (GET /v1/costs, seeded bill in the behaviour layer):',
    '  account       name            team      cost centre  limit   actual  forecast  used   alerts freeze   anomalies  actual as of',
  ];
  for (const x of items)
    lines.push(
      `  ${x.accountId}  ${x.accountName.padEnd(14)}  ${x.team.padEnd(8)}  ${x.costCenter.padEnd(11)}  ${x.limit.usd.toFixed(0).padStart(5)}  ${x.actual.usd.toFixed(2).padStart(7)}  ${(x.forecast?.usd ?? 0).toFixed(2).padStart(8)}  ${x.shareUsedPercent.toFixed(0).padStart(3)} %  ${String(x.alerts.length).padStart(6)} ${x.freeze.state.padEnd(8)} ${String(x.anomalies.length).padStart(9)}  ${x.actual.at ?? 'not yet'}`,
    );
  const report = await fetch(`${api.url}/v1/costs/report?format=csv`, { headers });
  const csv = (await report.text()).trim().split(/\r?\n/);
  return [
    ...lines,
    '',
    'showback (GET /v1/costs/report?format=csv):',
    ...csv.map((l) => `  ${l}`),
    ...(await approveAndRelease(api, headers, items, accountId)),
  ];
}

/** Platform approves the freeze AWS Budgets holds for approval (the SCP goes on), then releases it. */
async function approveAndRelease(
  api: { url: string },
  headers: Record<string, string>,
  items: CostItem[],
  accountId: string,
): Promise<string[]> {
  const freeze = items.find((x) => x.accountId === accountId)?.freeze;
  if (freeze?.state !== 'PENDING_APPROVAL') return [`  freeze: ${freeze?.state ?? 'none'}`];
  const lines = [
    '',
    `spending freeze (AWS Budgets action, emulated by the behaviour layer): ${freeze.state}`,
  ];
  for (const change of ['approve', 'release'] as const) {
    const res = await fetch(`${api.url}/v1/accounts/${accountId}/freeze/${change}`, {
      method: 'POST',
      headers,
    });
    const view = (await res.json()) as CostItem & { error?: { message: string } };
    lines.push(
      `  POST /v1/accounts/${accountId}/freeze/${change} → ${res.status} ${view.error?.message ?? `${view.freeze.state} (${view.freeze.status ?? ''})`}`,
    );
    if (!res.ok) break;
    if (change === 'release')
      lines.push(
        `  history: ${view.freeze.history.map((h) => `${h.status}${h.by ? ` by ${h.by}` : ''} ${h.at}`).join(' → ')}`,
      );
  }
  return lines;
}
