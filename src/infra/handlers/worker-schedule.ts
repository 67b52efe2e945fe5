/**
 * How often the EventBridge schedule invokes the worker function (compute.ts), so how long an
 * invocation that finds nothing due within it may leave the work to the next one (worker.ts).
 */
export const WORKER_SCHEDULE_MINUTES = 1;
export const WORKER_SCHEDULE_MS = WORKER_SCHEDULE_MINUTES * 60_000;
