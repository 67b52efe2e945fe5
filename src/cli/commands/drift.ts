import { ApiClient, ApiError } from '../api-client';
import {
  formatDrift,
  formatSweep,
  formatSweepList,
  unresolved,
  type DriftView,
  type SweepListItemView,
  type SweepView,
} from '../drift-view';

const sweepPath = (id: string, account?: string) =>
  `/v1/drift/sweeps/${encodeURIComponent(id)}${account ? `?accountId=${encodeURIComponent(account)}` : ''}`;

/** `avf drift`: the current or last drift sweep and its findings. */
export async function driftCommand(): Promise<number> {
  const view = await ApiClient.fromEnv().call<DriftView>('GET', '/v1/drift');
  for (const line of formatDrift(view)) console.log(line);
  return unresolved(view.sweep?.findings ?? []) ? 1 : 0;
}

/** Polls a sweep until it has finished, printing the accounts checked as they grow. */
async function follow(client: ApiClient, id: string, intervalMs = 2000): Promise<SweepView> {
  let shown = -1;
  for (;;) {
    const sweep = await client.call<SweepView>('GET', sweepPath(id));
    if (sweep.accountsChecked !== shown) {
      shown = sweep.accountsChecked;
      console.log(`  ${shown} account(s) checked, ${sweep.findingsTotal} finding(s)`);
    }
    if (sweep.finishedAt) return sweep;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** `avf drift start [--wait]`: a sweep now, whatever the interval (platform token). */
export async function driftStartCommand(options: { wait: boolean }): Promise<number> {
  const client = ApiClient.fromEnv();
  let started: SweepView;
  try {
    started = await client.call<SweepView>('POST', '/v1/drift/sweeps');
  } catch (e) {
    // 409: a sweep is running; the API's message names it.
    if (!(e instanceof ApiError) || e.status !== 409) throw e;
    const body = e.body as { error?: { message?: string } } | undefined;
    console.error(`avf: ${body?.error?.message ?? 'a drift sweep is running'}`);
    return 1;
  }
  console.log(`drift sweep ${started.id} started`);
  if (!options.wait) return 0;
  const final = await follow(client, started.id);
  for (const line of formatSweep(final)) console.log(line);
  return unresolved(final.findings) ? 1 : 0;
}

/** `avf drift history [--account ID] [--limit N] [--cursor C]`: finished sweeps, newest first. */
export async function driftHistoryCommand(options: {
  account?: string;
  limit?: number;
  cursor?: string;
}): Promise<number> {
  const query = new URLSearchParams({
    ...(options.limit === undefined ? {} : { limit: String(options.limit) }),
    ...(options.account ? { accountId: options.account } : {}),
    ...(options.cursor ? { cursor: options.cursor } : {}),
  });
  const page = await ApiClient.fromEnv().call<{ items: SweepListItemView[]; nextCursor?: string }>(
    'GET',
    `/v1/drift/sweeps${query.size > 0 ? `?${query.toString()}` : ''}`,
  );
  for (const line of formatSweepList(page.items)) console.log(line);
  if (page.nextCursor) console.log(`more: avf drift history --cursor ${page.nextCursor}`);
  return 0;
}

/** `avf drift show ID [--account ID]`: one sweep with its stored findings and errors. */
export async function driftShowCommand(id: string, options: { account?: string }): Promise<number> {
  const sweep = await ApiClient.fromEnv().call<SweepView>('GET', sweepPath(id, options.account));
  for (const line of formatSweep(sweep)) console.log(line);
  return unresolved(sweep.findings) ? 1 : 0;
}
