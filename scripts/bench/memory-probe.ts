import { BENCH_TOKEN } from './bodies';
import { openBenchApi } from './bench-api';
import { report } from './child';

/**
 * Child process of the memory section (run with --expose-gc): the real API over a SQLite store,
 * filled step by step to each count in argv[2] (e.g. 1000,5000,10000). At each step it serves, over
 * HTTP, the whole list page by page and a GET of 200 stored requests, collects garbage, and reports
 * `{ stored, rssBytes, heapUsedBytes }` on stdout. Over HTTP, not `inject()`: light-my-request keeps
 * about 10 KB per injected request alive (even on a bare fastify app), which would read as a leak.
 */
export interface MemorySample {
  stored: number;
  rssBytes: number;
  heapUsedBytes: number;
}

const headers = { authorization: `Bearer ${BENCH_TOKEN}` };

async function main(): Promise<void> {
  const steps = (process.argv[2] ?? '').split(',').map(Number);
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const bench = await openBenchApi();
  const url = await bench.app.listen({ port: 0, host: '127.0.0.1' });
  const get = async (path: string): Promise<string> => {
    const res = await fetch(`${url}${path}`, { headers });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${text}`);
    return text;
  };
  try {
    for (const stored of steps) {
      const ids = await bench.fillTo(stored);
      let cursor: string | undefined;
      do {
        const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = await get(`/v1/account-requests?limit=100${query}`);
        cursor = (JSON.parse(page) as { nextCursor?: string }).nextCursor;
      } while (cursor);
      for (let i = 0; i < 200; i++) {
        await get(`/v1/account-requests/${ids[Math.floor((i * ids.length) / 200)] ?? ''}`);
      }
      gc();
      gc();
      const usage = process.memoryUsage();
      report({ stored, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed } satisfies MemorySample);
    }
  } finally {
    await bench.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
