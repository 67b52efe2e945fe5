import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { openBenchApi } from './bench-api';
import { report } from './child';

/**
 * Child process of the HTTP section: serves one target on a free port and reports
 * `{ url, id }` on stdout, until SIGTERM.
 *   api STORED      the real API over a SQLite store holding STORED requests; `id` is one of them
 *   bare VIEW_FILE  a bare fastify app answering GET /v1/account-requests/:id with the JSON in
 *                   VIEW_FILE, and POST /v1/account-requests with it and 202: no auth, no store
 */
export type TargetReady = { url: string; id: string };

interface Target {
  app: FastifyInstance;
  id: string;
  close(): Promise<void>;
}

function bare(viewFile: string): Target {
  const view = JSON.parse(readFileSync(viewFile, 'utf8')) as { id: string };
  const app = Fastify({ logger: false });
  app.get('/v1/account-requests/:id', () => view);
  app.post('/v1/account-requests', (_request, reply) => reply.code(202).send(view));
  return { app, id: view.id, close: () => app.close() };
}

async function api(stored: number): Promise<Target> {
  const bench = await openBenchApi();
  const ids = await bench.fillTo(stored);
  return { app: bench.app, id: ids[ids.length - 1] ?? '', close: () => bench.close() };
}

async function main(): Promise<void> {
  const [kind, arg = ''] = process.argv.slice(2);
  const target = kind === 'bare' ? bare(arg) : await api(Number(arg));
  const url = await target.app.listen({ port: 0, host: '127.0.0.1' });
  process.once('SIGTERM', () => void target.close().then(() => process.exit(0)));
  report({ url, id: target.id } satisfies TargetReady);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
