import type { Verification } from '../../domain/compliance';
import { ApiClient, type RequestView } from '../api-client';
import { controlsCounts, formatOutcome, summarise } from '../progress';
import { printJson, type OutputOptions } from './client';

const requestPath = (id: string) => `/v1/account-requests/${encodeURIComponent(id)}`;
const query = (params: Record<string, string | number | undefined>): string => {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length
    ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}`
    : '';
};

interface Page<T> {
  items: T[];
  nextCursor?: string;
}

function printPage<T>(page: Page<T>, line: (item: T) => string, options: OutputOptions): void {
  if (options.json) return printJson(page);
  for (const item of page.items) console.log(line(item));
  if (page.items.length === 0) console.log('(none)');
  if (page.nextCursor) console.log(`more: --cursor ${page.nextCursor}`);
}

export interface ListOptions extends OutputOptions {
  status?: string;
  team?: string;
  limit?: number;
  cursor?: string;
}

/** `avf requests list`: newest first, one line each. */
export async function listRequestsCommand(options: ListOptions): Promise<number> {
  const { status, team, limit, cursor } = options;
  const page = await ApiClient.fromEnv().call<Page<RequestView>>(
    'GET',
    `/v1/account-requests${query({ status, team, limit, cursor })}`,
  );
  printPage(
    page,
    (r) =>
      `${r.id}  ${r.status.padEnd(16)} ${r.phase.padEnd(18)} ${r.request.accountName.padEnd(24)} ${r.accountId ?? ''}${r.error ? `  ${r.error.code}: ${summarise(r.error.message, 80)}` : ''}`,
    options,
  );
  return 0;
}

/** `avf approve|reject|cancel ID`: one state change, then the request as it now stands. */
export async function requestActionCommand(
  action: 'approve' | 'reject' | 'cancel',
  id: string,
  options: OutputOptions & { reason?: string },
): Promise<number> {
  const body = options.reason === undefined ? undefined : { reason: options.reason };
  const view = await ApiClient.fromEnv().call<RequestView>('POST', `${requestPath(id)}/${action}`, body);
  if (options.json) printJson(view);
  else for (const line of formatOutcome(view)) console.log(line);
  return 0;
}

interface AccountView {
  accountId: string;
  accountName: string;
  organizationalUnit: string;
  team: string;
  status: string;
  owner: { team: string; email: string };
  costCenter: string;
  budget: { monthlyLimitUsd: number; thresholdsPercent: number[] };
  access: Array<{ group: string; permissionSet: string }>;
  controls?: { passed: number; failed: number; error: number };
  lastVerifiedAt?: string;
  baselineVersion?: string;
}

const controlsOf = (a: AccountView) => (a.controls ? controlsCounts(a.controls) : 'not verified');

/** `avf accounts list`: the inventory, one line each. */
export async function listAccountsCommand(
  options: ListOptions & { ou?: string; compliance?: string },
): Promise<number> {
  const { ou, team, compliance, limit, cursor } = options;
  const page = await ApiClient.fromEnv().call<Page<AccountView>>(
    'GET',
    `/v1/accounts${query({ ou, team, compliance, limit, cursor })}`,
  );
  printPage(
    page,
    (a) =>
      `${a.accountId}  ${a.status.padEnd(9)} ${a.accountName.padEnd(24)} ${a.organizationalUnit.padEnd(20)} ${a.team.padEnd(12)} ${controlsOf(a)}`,
    options,
  );
  return 0;
}

/** `avf accounts show ID`. */
export async function showAccountCommand(accountId: string, options: OutputOptions): Promise<number> {
  const a = await ApiClient.fromEnv().call<AccountView>(
    'GET',
    `/v1/accounts/${encodeURIComponent(accountId)}`,
  );
  if (options.json) return (printJson(a), 0);
  for (const line of [
    `account ${a.accountId} (${a.accountName}): ${a.status}`,
    `  OU             ${a.organizationalUnit}`,
    `  owner          ${a.owner.team} <${a.owner.email}>, cost centre ${a.costCenter}`,
    `  budget         ${a.budget.monthlyLimitUsd} USD a month, alerts at ${a.budget.thresholdsPercent.join('/')} %`,
    `  access         ${a.access.map((g) => `${g.group} → ${g.permissionSet}`).join(', ') || 'none'}`,
    `  controls       ${controlsOf(a)}${a.lastVerifiedAt ? ` (verified ${a.lastVerifiedAt})` : ''}`,
    `  baseline       ${a.baselineVersion ?? 'not recorded'}`,
  ])
    console.log(line);
  return 0;
}

/** `avf accounts compliance ID`: the last verification; exits 1 when a control blocks. */
export async function accountComplianceCommand(accountId: string, options: OutputOptions): Promise<number> {
  const v = await ApiClient.fromEnv().call<Verification>(
    'GET',
    `/v1/accounts/${encodeURIComponent(accountId)}/compliance`,
  );
  if (options.json) printJson(v);
  else {
    for (const r of v.results)
      console.log(
        `${r.status.padEnd(5)} ${r.id.padEnd(6)} ${(r.region ?? '').padEnd(10)} ${r.title}: ${summarise(r.evidence)}`,
      );
    console.log(
      `${v.summary.passed} passed, ${v.summary.failed} failed, ${v.summary.error} error (verified ${v.verifiedAt})${v.blocking.length ? `; blocking: ${v.blocking.join(', ')}` : ''}`,
    );
  }
  return v.blocking.length === 0 ? 0 : 1;
}
