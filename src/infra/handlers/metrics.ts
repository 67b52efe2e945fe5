/**
 * The worker's CloudWatch metrics, written as Embedded Metric Format log lines: Lambda sends
 * stdout to CloudWatch Logs, which extracts the metric; no SDK call, no extra permission.
 */
export const METRICS = {
  namespace: 'avf',
  /** A request reached FAILED (its reason is in the request and in this log line). */
  requestsFailed: 'RequestsFailed',
  /** A worker tick threw: the store or AWS failed in a way no step handled. */
  workerErrors: 'WorkerErrors',
} as const;

export type MetricName = (typeof METRICS)[keyof Omit<typeof METRICS, 'namespace'>];

/** One EMF line: the metric's value, plus properties that land in the log event only. */
export function emfLine(metric: MetricName, value: number, properties: Record<string, string> = {}): string {
  return JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        { Namespace: METRICS.namespace, Dimensions: [[]], Metrics: [{ Name: metric, Unit: 'Count' }] },
      ],
    },
    [metric]: value,
    ...properties,
  });
}

export function emitMetric(metric: MetricName, value: number, properties?: Record<string, string>): void {
  process.stdout.write(`${emfLine(metric, value, properties)}\n`);
}
