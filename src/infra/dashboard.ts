import { Duration } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  SingleValueWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { REQUEST_STATUSES } from '../domain/account-request';
import { OPEN_STATUSES } from './handlers/gauges';
import { METRICS } from './handlers/metrics';
import { RUNBOOK } from './alarms';
import { factoryMetric } from './operations-metrics';

const SETTLED = REQUEST_STATUSES.filter((s) => !OPEN_STATUSES.includes(s));
const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
  new GraphWidget({ title, left, right, width: 12, height: 6 });

/**
 * The operations dashboard: requests by status, time to READY, AWS throttling, worker errors and
 * the event delivery backlog, from the functions' EMF metrics, Lambda's and DynamoDB's own.
 */
export function factoryDashboard(
  scope: Construct,
  props: { worker: IFunction; api: IFunction; table: Table },
): Dashboard {
  const dashboard = new Dashboard(scope, 'OperationsDashboard', {
    defaultInterval: Duration.hours(24),
  });
  const dimension = (status: string) => ({ Status: status });
  dashboard.addWidgets(
    new TextWidget({
      markdown: `# avf operations\nEvery alarm on this page has a section in the repository's \`${RUNBOOK}\`.`,
      width: 24,
      height: 2,
    }),
  );
  dashboard.addWidgets(
    graph(
      'Requests by status (open: sampled; settled: per 5 min)',
      OPEN_STATUSES.map((s) =>
        factoryMetric(METRICS.openRequests, { statistic: 'Maximum', dimensions: dimension(s), label: s }),
      ),
      SETTLED.map((s) => factoryMetric(METRICS.requestsSettled, { dimensions: dimension(s), label: s })),
    ),
    graph('Time to READY (seconds)', [
      factoryMetric(METRICS.timeToReady, { statistic: 'p50', label: 'p50' }),
      factoryMetric(METRICS.timeToReady, { statistic: 'p95', label: 'p95' }),
    ]),
  );
  dashboard.addWidgets(
    graph(
      'AWS throttles',
      [factoryMetric(METRICS.awsThrottles, { label: 'AWS calls throttled (every attempt)' })],
      [
        props.table.metricThrottledRequestsForOperations({
          period: Duration.minutes(5),
          label: 'DynamoDB store',
        }),
        props.worker.metricThrottles({ label: 'worker invocations' }),
        props.api.metricThrottles({ label: 'API invocations' }),
      ],
    ),
    graph('Worker errors', [
      factoryMetric(METRICS.workerErrors, { label: 'ticks failed' }),
      props.worker.metricErrors({ label: 'worker function errors' }),
      props.api.metricErrors({ label: 'API function errors' }),
    ]),
  );
  dashboard.addWidgets(
    graph('Delivery backlog (requests with undelivered events)', [
      factoryMetric(METRICS.deliveryBacklog, { statistic: 'Maximum', label: 'backlog' }),
    ]),
    new SingleValueWidget({
      title: 'Failed requests (24 h)',
      metrics: [factoryMetric(METRICS.requestsFailed)],
      setPeriodToTimeRange: true,
      width: 12,
      height: 6,
    }),
  );
  return dashboard;
}
