/**
 * Cost Explorer (spend, forecasts, anomaly detection, cost allocation tags) and the AWS Budgets
 * actions that freeze spending, in domain words. Implemented in src/aws; faked in the unit tests.
 */

/** One account's unblended cost on one UTC day (credits and refunds excluded). */
export interface DailyCost {
  date: string;
  accountId: string;
  usd: number;
  /** Cost Explorer may still revise the day. */
  estimated: boolean;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/** What an anomaly monitor watches: one linked account, or one cost centre (a cost allocation tag). */
export type MonitorScope =
  { kind: 'account'; accountId: string } | { kind: 'tag'; key: string; value: string };

export interface AnomalyMonitor {
  arn: string;
  name: string;
}

export interface AnomalySubscriptionSpec {
  name: string;
  monitorArns: string[];
  emails: string[];
  frequency: 'DAILY' | 'WEEKLY';
  /** Alert when an anomaly's total impact reaches this many USD … */
  thresholdUsd: number;
  /** … or this percentage above the expected spend (either suffices). */
  thresholdPercent?: number;
}

export interface AnomalySubscription extends AnomalySubscriptionSpec {
  arn: string;
}

export interface DetectedAnomaly {
  id: string;
  monitorArn: string;
  startDate: string;
  endDate?: string;
  impactUsd: number;
  maxScore: number;
  /** The linked account AWS names as the root cause, if any. */
  accountId?: string;
  /** e.g. `Amazon EC2 / us-east-1`. */
  rootCause?: string;
}

export type CostAllocationTagStatus = 'Active' | 'Inactive' | 'NotFound';

export interface CostExplorerPort {
  /** One page of GetCostAndUsage: DAILY, UnblendedCost, grouped by LINKED_ACCOUNT, no credits/refunds. */
  dailyCosts(input: { start: string; end: string; pageToken?: string }): Promise<Page<DailyCost>>;
  /** GetCostForecast of one account's unblended cost from `start` to `end`; undefined without enough history. */
  forecast(accountId: string, start: string, end: string): Promise<number | undefined>;
  listMonitors(): Promise<AnomalyMonitor[]>;
  createMonitor(name: string, scope: MonitorScope): Promise<string>;
  listSubscriptions(): Promise<AnomalySubscription[]>;
  createSubscription(spec: AnomalySubscriptionSpec): Promise<string>;
  updateSubscription(arn: string, spec: AnomalySubscriptionSpec): Promise<void>;
  /** One page of GetAnomalies whose dates fall between `start` and `end`. */
  anomalies(input: { start: string; end: string; pageToken?: string }): Promise<Page<DetectedAnomaly>>;
  costAllocationTags(keys: string[]): Promise<Record<string, CostAllocationTagStatus>>;
  /** Activates these keys; returns those AWS refused (e.g. a key no bill has carried yet), with why. */
  activateCostAllocationTags(keys: string[]): Promise<Array<{ key: string; reason: string }>>;
}

export type BudgetActionStatus =
  | 'STANDBY'
  | 'PENDING'
  | 'EXECUTION_IN_PROGRESS'
  | 'EXECUTION_SUCCESS'
  | 'EXECUTION_FAILURE'
  | 'REVERSE_IN_PROGRESS'
  | 'REVERSE_SUCCESS'
  | 'REVERSE_FAILURE'
  | 'RESET_IN_PROGRESS'
  | 'RESET_FAILURE';

/** A budget action that applies an SCP to the account once its budget passes a threshold. */
export interface FreezeActionSpec {
  budgetName: string;
  accountId: string;
  policyId: string;
  thresholdPercent: number;
  approval: 'AUTOMATIC' | 'MANUAL';
  executionRoleArn: string;
  emails: string[];
}

export interface BudgetAction {
  actionId: string;
  budgetName: string;
  status: BudgetActionStatus;
  approval: 'AUTOMATIC' | 'MANUAL';
  thresholdPercent: number;
  policyId?: string;
  targetIds: string[];
}

/** A budget with what AWS Budgets calculated it has spent. */
export interface BudgetSpend {
  name: string;
  limitUsd: number;
  actualUsd: number;
  forecastUsd?: number;
}

export type BudgetActionExecution = 'APPROVE' | 'REVERSE' | 'RESET';

/** The management account's role AWS Budgets assumes to apply the freeze SCP. */
export interface ExecutionRolePort {
  findRole(name: string): Promise<{ arn: string; trustPolicy: string; policy?: string } | undefined>;
  createRole(name: string, trustPolicy: string, description: string): Promise<string>;
  putRolePolicy(roleName: string, policyName: string, document: string): Promise<void>;
  updateTrustPolicy(roleName: string, trustPolicy: string): Promise<void>;
}
