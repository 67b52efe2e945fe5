import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS, type MetricName } from './handlers/metrics';

const PERIOD = Duration.minutes(5);

/** One of the functions' EMF metrics (handlers/metrics.ts) as CloudWatch sees it. */
export function factoryMetric(
  name: MetricName,
  options: { statistic?: string; dimensions?: Record<string, string>; label?: string } = {},
): Metric {
  return new Metric({
    namespace: METRICS.namespace,
    metricName: name,
    statistic: options.statistic ?? 'Sum',
    period: PERIOD,
    ...(options.dimensions ? { dimensionsMap: options.dimensions } : {}),
    ...(options.label ? { label: options.label } : {}),
  });
}
