import type { RequestRecord } from '../../domain/account-request';

/**
 * The functions' CloudWatch metrics, written as Embedded Metric Format log lines: Lambda sends
 * stdout to CloudWatch Logs, which extracts the metric; no SDK call, no extra permission.
 */
export const METRICS = {
  namespace: 'avf',
  /** Requests open in each status (dimension `Status`), sampled once per worker invocation. */
  openRequests: 'OpenRequests',
  /** A request reached READY or FAILED (dimension `Status`). */
  requestsSettled: 'RequestsSettled',
  /** A request reached FAILED (its reason is in the request and in this log line). */
  requestsFailed: 'RequestsFailed',
  /** Seconds from submission to READY, once per request that reaches READY. */
  timeToReady: 'TimeToReady',
  /** AWS answered a call with throttling (every attempt, retried or not). */
  awsThrottles: 'AwsThrottles',
  /** A worker tick threw: the store or AWS failed in a way no step handled. */
  workerErrors: 'WorkerErrors',
  /** Requests with events not yet delivered to their bus or webhook (sampled once per invocation). */
  deliveryBacklog: 'DeliveryBacklog',
} as const;

export type MetricName = (typeof METRICS)[keyof Omit<typeof METRICS, 'namespace'>];

type Unit = 'Count' | 'Seconds';

/** One EMF line: the metric's value, its dimensions, plus properties that land in the log event only. */
export function emfLine(
  metric: MetricName,
  value: number,
  properties: Record<string, string> = {},
  options: { unit?: Unit; dimensions?: Record<string, string> } = {},
): string {
  const dimensions = options.dimensions ?? {};
  return JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS.namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: [{ Name: metric, Unit: options.unit ?? 'Count' }],
        },
      ],
    },
    [metric]: value,
    ...properties,
    ...dimensions,
  });
}

export function emitMetric(
  metric: MetricName,
  value: number,
  properties?: Record<string, string>,
  options?: { unit?: Unit; dimensions?: Record<string, string> },
): void {
  process.stdout.write(`${emfLine(metric, value, properties, options)}\n`);
}

/** The metrics of the requests a tick saved: those that settled, with the failure or the time to READY. */
export function reportAdvanced(records: readonly RequestRecord[]): void {
  for (const record of records) {
    if (record.status !== 'READY' && record.status !== 'FAILED') continue;
    emitMetric(
      METRICS.requestsSettled,
      1,
      { requestId: record.id },
      { dimensions: { Status: record.status } },
    );
    if (record.status === 'FAILED') {
      emitMetric(METRICS.requestsFailed, 1, {
        requestId: record.id,
        phase: record.phase,
        code: record.error?.code ?? 'unknown',
      });
    }
    if (record.status === 'READY') {
      const seconds = (Date.parse(record.updatedAt) - Date.parse(record.createdAt)) / 1000;
      emitMetric(METRICS.timeToReady, seconds, { requestId: record.id }, { unit: 'Seconds' });
    }
  }
}
