import type { LoadedConfig } from '../../config/load';
import { monthOf, roundUsd, type AccountCosts } from '../../domain/costs';
import type { DocumentStore } from '../../domain/ports/document-store';
import type { HasJobs } from '../../domain/ports/job-store';
import type { RequestStore } from '../../domain/ports/request-store';
import type { Clock } from '../clock';
import { canSeeTeam, type Principal } from '../../domain/principal';
import { allAccountCosts } from './account-costs';
import { COLLECTION_ID, COLLECTION_JOB, CollectionSchema } from './collection-state';
import { isFrozen } from './freeze';
import { managedAccounts, type ManagedAccount } from './inventory';
import { limitOf } from './publish';

export interface CostsDeps {
  store: RequestStore & DocumentStore & HasJobs;
  config: LoadedConfig;
  clock: Clock;
}

export interface CostQuery {
  team?: string;
  costCenter?: string;
  ou?: string;
  month?: string;
}

/** A figure and when it was collected. */
export interface Figure {
  usd: number;
  at?: string;
}

export interface AccountCostView {
  accountId: string;
  accountName: string;
  team: string;
  costCenter: string;
  organizationalUnit: string;
  owner: string;
  limit: Figure;
  actual: Figure & { estimated: boolean };
  forecast?: Figure;
  /** actual ÷ limit, percent. */
  shareUsedPercent: number;
  /** AWS Budgets' own calculated spend (what its alerts and actions act on). */
  budgetCalculated?: { actualUsd: number; forecastUsd?: number; at: string };
  alerts: AccountCosts['alerts'];
  freeze: {
    state: 'NONE' | 'ARMED' | 'PENDING_APPROVAL' | 'FROZEN' | 'RELEASED' | 'FAILED';
    status?: string;
    approval?: string;
    thresholdPercent?: number;
    at?: string;
    history: Array<{ status: string; at: string; by?: string }>;
  };
  anomalies: AccountCosts['anomalies'];
  anomaliesAt?: string;
}

function freezeState(status: string | undefined): AccountCostView['freeze']['state'] {
  if (status === undefined) return 'NONE';
  if (isFrozen(status)) return 'FROZEN';
  if (status === 'PENDING') return 'PENDING_APPROVAL';
  if (status.startsWith('REVERSE_')) return 'RELEASED';
  if (status.endsWith('_FAILURE')) return 'FAILED';
  return 'ARMED';
}

export function toCostView(account: ManagedAccount, costs: AccountCosts | undefined): AccountCostView {
  const limit = limitOf(account, costs);
  const actual = costs?.actualUsd ?? 0;
  const f = costs?.freeze;
  return {
    accountId: account.accountId,
    accountName: account.spec.accountName,
    team: account.team,
    costCenter: account.spec.costCenter,
    organizationalUnit: account.spec.organizationalUnit,
    owner: account.spec.owner.email,
    limit: { usd: limit, ...(costs?.budget ? { at: costs.budget.at } : {}) },
    actual: {
      usd: actual,
      ...(costs?.actualAt ? { at: costs.actualAt } : {}),
      estimated: costs?.estimated ?? false,
    },
    ...(costs?.forecastUsd === undefined
      ? {}
      : { forecast: { usd: costs.forecastUsd, at: costs.forecastAt } }),
    shareUsedPercent: limit > 0 ? roundUsd((actual / limit) * 100) : 0,
    ...(costs?.budget
      ? {
          budgetCalculated: {
            actualUsd: costs.budget.actualUsd,
            ...(costs.budget.forecastUsd === undefined ? {} : { forecastUsd: costs.budget.forecastUsd }),
            at: costs.budget.at,
          },
        }
      : {}),
    alerts: costs?.alerts ?? [],
    freeze: {
      state: freezeState(f?.status),
      ...(f
        ? { status: f.status, approval: f.approval, thresholdPercent: f.thresholdPercent, at: f.at }
        : {}),
      history: f?.history ?? [],
    },
    anomalies: costs?.anomalies ?? [],
    ...(costs?.anomaliesAt ? { anomaliesAt: costs.anomaliesAt } : {}),
  };
}

const underOu = (path: string, ou: string): boolean => path === ou || path.startsWith(`${ou}/`);

/**
 * Spend per vended account the principal may see (a requester: its own team's), filtered by team,
 * cost centre and OU (the OU and those below it), for a month (default: this one).
 */
export async function listCosts(
  deps: CostsDeps,
  principal: Principal,
  query: CostQuery,
): Promise<{ month: string; items: AccountCostView[]; collection: Collection }> {
  const month = query.month ?? monthOf(deps.clock.now());
  const accounts = (await managedAccounts(deps.store)).filter(
    (a) =>
      canSeeTeam(principal, a.team) &&
      (query.team === undefined || a.team === query.team) &&
      (query.costCenter === undefined || a.spec.costCenter === query.costCenter) &&
      (query.ou === undefined || underOu(a.spec.organizationalUnit, query.ou)),
  );
  const costs = new Map((await allAccountCosts(deps.store, month)).map((c) => [c.accountId, c]));
  const items = accounts
    .map((a) => toCostView(a, costs.get(a.accountId)))
    .sort((a, b) => a.accountId.localeCompare(b.accountId));
  return { month, items, collection: await collectionStatus(deps) };
}

export interface Collection {
  lastStartedAt?: string;
  lastFinishedAt?: string;
  running?: string;
  nextRunAt?: string;
  errors: string[];
}

export async function collectionStatus(deps: CostsDeps): Promise<Collection> {
  const job = await deps.store.jobs.getJob(COLLECTION_JOB, COLLECTION_ID);
  const parsed = CollectionSchema.safeParse(job?.state ?? {});
  const body = parsed.success ? parsed.data : {};
  return {
    ...(body.last ? { lastStartedAt: body.last.startedAt, lastFinishedAt: body.last.finishedAt } : {}),
    ...(body.run ? { running: `${body.run.stage} since ${body.run.startedAt}` } : {}),
    ...(body.nextRunAt ? { nextRunAt: body.nextRunAt } : {}),
    errors: body.last?.errors ?? [],
  };
}
