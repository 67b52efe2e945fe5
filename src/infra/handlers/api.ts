import awsLambdaFastify from '@fastify/aws-lambda';
import { join } from 'node:path';
import { buildApp } from '../../../api/app';
import { createRuntime } from '../../app/runtime';
import { systemClock } from '../../workflow/clock';

/** Answers API Gateway base64-encodes (images, fonts): anything that is not text. */
const TEXT = /^(text\/|application\/(json|javascript|xml|x-yaml|yaml)|image\/svg\+xml)/;

/**
 * The HTTP API on Lambda behind API Gateway: the same fastify app `avf serve` listens with, the
 * lifecycle routes included, answered through @fastify/aws-lambda. The runtime (config, DynamoDB
 * store, adapters) is built once per container; the worker runs in its own function
 * (handlers/worker.ts) and does what the routes answer 202 for (redeploys, closures, imports),
 * woken by each successful mutating call.
 */
const proxy = createRuntime().then(async (runtime) => {
  // the DynamoDB store's wake item, whose stream record invokes the worker function (compute.ts)
  const wakeWorkers = runtime.store.wakeWorkers?.bind(runtime.store);
  const app = buildApp({
    store: runtime.store,
    config: runtime.config,
    clock: systemClock,
    accountDirectory: runtime.aws.organizations,
    accessCatalog: runtime.deps.accessCatalog,
    lifecycle: runtime.deps,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    // The bundle is one file: Swagger UI's assets are shipped beside it (compute.ts copies them).
    docsAssetsDir: join(__dirname, 'static'),
    ...(wakeWorkers ? { wakeWorkers } : {}),
  });
  // The adapter decorates the app, which fastify only allows before it is ready.
  const answer = awsLambdaFastify(app, {
    enforceBase64: (res) => !TEXT.test(String(res.headers['content-type'] ?? '')),
  });
  await app.ready();
  return answer;
});

type Proxy = Awaited<typeof proxy>;

export async function handler(event: Parameters<Proxy>[0], context: Parameters<Proxy>[1]) {
  return (await proxy)(event, context);
}
