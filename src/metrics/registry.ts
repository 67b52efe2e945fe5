import { AsyncLocalStorage } from 'node:async_hooks';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The factory's Prometheus metrics, served at GET /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'avf_process_' });

const awsCalls = new Counter({
  name: 'avf_aws_calls_total',
  help: 'AWS API calls sent (every attempt, retries included), by service and operation',
  labelNames: ['service', 'operation'] as const,
  registers: [registry],
});

const awsThrottles = new Counter({
  name: 'avf_aws_throttles_total',
  help: 'AWS API calls answered with throttling (every attempt), by service and operation',
  labelNames: ['service', 'operation'] as const,
  registers: [registry],
});
let throttledSoFar = 0;

const vended = new Counter({
  name: 'avf_accounts_ready_total',
  help: 'Requests that reached READY',
  registers: [registry],
});

const callsPerAccount = new Histogram({
  name: 'avf_aws_calls_per_account',
  help: 'AWS API calls made for one request, from submission to READY (the polling cost)',
  buckets: [25, 50, 75, 100, 150, 200, 300, 500, 1000],
  registers: [registry],
});

const refused = new Counter({
  name: 'avf_api_refused_total',
  help: 'API calls refused before any work: without a valid token (unauthenticated) or over a rate limit (rate_limited); counted here, not written to the audit log',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/** An API call answered 401 (no valid token) or 429 (rate limited). */
export function recordRefusedCall(reason: 'unauthenticated' | 'rate_limited'): void {
  refused.inc({ reason });
}

const eventPublishFailures = new Counter({
  name: 'avf_event_publish_failures_total',
  help: 'Publishes of rollout and drift events to the bus that failed; the events stay in their document and are sent again',
  labelNames: ['source'] as const,
  registers: [registry],
});

/** A publish of a document's outbox failed (its events are kept and sent again). */
export function recordEventPublishFailure(source: string): void {
  eventPublishFailures.inc({ source });
}

/** The calls made inside the current `countAwsCalls` (one reconciler step). */
const tally = new AsyncLocalStorage<{ calls: number }>();

/**
 * Called by the SDK clients' middleware for every attempt they send. The store's own DynamoDB
 * calls count in the metric but not against a request's AWS calls.
 */
export function recordAwsCall(service: string, operation: string): void {
  awsCalls.inc({ service, operation });
  const current = tally.getStore();
  if (current && service !== 'dynamodb') current.calls += 1;
}

/** Called by the SDK clients' middleware for every attempt AWS throttled. */
export function recordAwsThrottle(service: string, operation: string): void {
  awsThrottles.inc({ service, operation });
  throttledSoFar += 1;
}

/** Throttled attempts since the process started (the Lambda worker reports the difference per invocation). */
export function awsThrottlesSoFar(): number {
  return throttledSoFar;
}

/** Runs `work` and counts the AWS calls it makes (including those of concurrent inner work). */
export async function countAwsCalls<T>(work: () => Promise<T>): Promise<{ result: T; calls: number }> {
  const counter = { calls: 0 };
  const result = await tally.run(counter, work);
  return { result, calls: counter.calls };
}

/** A request reached READY after `calls` AWS calls. */
export function recordReady(calls: number): void {
  vended.inc();
  callsPerAccount.observe(calls);
}
