import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { METRICS } from './handlers/metrics';
import { factoryMetric } from './operations-metrics';

/** Where the operations runbook lives; each alarm names its section. */
export const RUNBOOK = 'docs/runbook.md';

interface AlarmSpec {
  id: string;
  /** The runbook's heading for it (its anchor is this, lower-cased, spaces to dashes). */
  title: string;
  metric: IMetric;
  threshold: number;
  /** Consecutive 5-minute periods over the threshold before it fires. Default 1. */
  periods?: number;
  /** What a missing datapoint means. Default: not breaching (no failures reported). */
  missing?: TreatMissingData;
  comparison?: ComparisonOperator;
}

/** The alarms, by id, with their runbook section: the single list the stack and the runbook test read. */
export function alarmSpecs(props: { worker: IFunction; api: IFunction }): AlarmSpec[] {
  const fiveMinutes = { period: Duration.minutes(5) };
  return [
    {
      id: 'RequestFailedAlarm',
      title: 'RequestFailed',
      metric: factoryMetric(METRICS.requestsFailed),
      threshold: 1,
    },
    {
      id: 'WorkerErrorsAlarm',
      title: 'WorkerErrors',
      metric: factoryMetric(METRICS.workerErrors),
      threshold: 1,
    },
    {
      id: 'WorkerFunctionErrorsAlarm',
      title: 'WorkerFunctionErrors',
      metric: props.worker.metricErrors(fiveMinutes),
      threshold: 1,
    },
    {
      id: 'ApiFunctionErrorsAlarm',
      title: 'ApiFunctionErrors',
      metric: props.api.metricErrors(fiveMinutes),
      threshold: 1,
    },
    {
      // The SDK retries throttled calls and the reconciler backs off; sustained throttling slows every vend.
      id: 'AwsThrottlesAlarm',
      title: 'AwsThrottles',
      metric: factoryMetric(METRICS.awsThrottles),
      threshold: 50,
      periods: 3,
    },
    {
      id: 'DeliveryBacklogAlarm',
      title: 'DeliveryBacklog',
      metric: factoryMetric(METRICS.deliveryBacklog, { statistic: 'Minimum' }),
      threshold: 25,
      periods: 3,
    },
    {
      id: 'TimeToReadyAlarm',
      title: 'TimeToReady',
      metric: factoryMetric(METRICS.timeToReady, { statistic: 'p95' }),
      // AWS takes minutes to create an account; an hour at p95 means requests are waiting on something.
      threshold: 3_600,
      periods: 3,
    },
    {
      // The schedule invokes the worker every minute: no invocations means nothing is being vended.
      id: 'WorkerNotRunningAlarm',
      title: 'WorkerNotRunning',
      metric: props.worker.metricInvocations({ period: Duration.minutes(5) }),
      threshold: 1,
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      missing: TreatMissingData.BREACHING,
    },
  ];
}

const anchor = (title: string) => title.toLowerCase().replace(/\s+/g, '-');

/** The alarms, each publishing to the operations topic and naming its runbook section. */
export function factoryAlarms(
  scope: Construct,
  props: { worker: IFunction; api: IFunction; topic: ITopic },
): Alarm[] {
  const action = new SnsAction(props.topic);
  return alarmSpecs(props).map((spec) => {
    const alarm = new Alarm(scope, spec.id, {
      alarmDescription: `avf: ${spec.title}; see ${RUNBOOK}#${anchor(spec.title)}`,
      metric: spec.metric,
      threshold: spec.threshold,
      evaluationPeriods: spec.periods ?? 1,
      comparisonOperator: spec.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: spec.missing ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(action);
    return alarm;
  });
}
