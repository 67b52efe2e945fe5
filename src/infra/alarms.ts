import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { METRICS, type MetricName } from './handlers/metrics';

const workerMetric = (name: MetricName) =>
  new Metric({
    namespace: METRICS.namespace,
    metricName: name,
    statistic: 'Sum',
    period: Duration.minutes(5),
  });

/**
 * Alarms to the operations topic: a request FAILED (the worker's EMF metric), the worker's tick
 * failing (its EMF metric) or the function itself erroring (Lambda's own metric), and the API
 * answering with errors.
 */
export function factoryAlarms(
  scope: Construct,
  props: { worker: IFunction; api: IFunction; topic: ITopic },
): Alarm[] {
  const action = new SnsAction(props.topic);
  const alarm = (id: string, description: string, metric: Metric) => {
    const created = new Alarm(scope, id, {
      alarmDescription: description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(action);
    return created;
  };
  return [
    alarm(
      'RequestFailedAlarm',
      'avf: an account request reached FAILED; see README "A FAILED request"',
      workerMetric(METRICS.requestsFailed),
    ),
    alarm('WorkerErrorsAlarm', 'avf: a worker tick failed', workerMetric(METRICS.workerErrors)),
    alarm(
      'WorkerFunctionErrorsAlarm',
      'avf: the worker function failed',
      props.worker.metricErrors({ period: Duration.minutes(5) }),
    ),
    alarm(
      'ApiFunctionErrorsAlarm',
      'avf: the API function failed',
      props.api.metricErrors({ period: Duration.minutes(5) }),
    ),
  ];
}
