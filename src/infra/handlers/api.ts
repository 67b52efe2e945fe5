import awsLambdaFastify from '@fastify/aws-lambda';
import { buildApp } from '../../../api/app';
import { createRuntime } from '../../app/runtime';
import { systemClock } from '../../workflow/clock';

/**
 * The HTTP API on Lambda behind API Gateway: the same fastify app `avf serve` listens with, the
 * lifecycle routes included, answered through @fastify/aws-lambda. The runtime (config, DynamoDB
 * store, adapters) is built once per container; the worker runs in its own function
 * (handlers/worker.ts) and does what the routes answer 202 for (redeploys, closures, imports).
 */
const proxy = createRuntime().then(async (runtime) => {
  const app = buildApp({
    store: runtime.store,
    config: runtime.config,
    clock: systemClock,
    accountDirectory: runtime.aws.organizations,
    lifecycle: runtime.deps,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  await app.ready();
  return awsLambdaFastify(app);
});

type Proxy = Awaited<typeof proxy>;

export async function handler(event: Parameters<Proxy>[0], context: Parameters<Proxy>[1]) {
  return (await proxy)(event, context);
}
