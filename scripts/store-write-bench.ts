import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';
import { makeRequestRecord } from '../test/support/fixtures';

/**
 * The cost of SQLite `synchronous=FULL` (what the store runs) against NORMAL: N request creates
 * and N saves on a file store, each mode on a fresh file. Prints the numbers and writes
 * bench-results/store-writes.json. `npx tsx scripts/store-write-bench.ts [N]`
 */
const N = Number(process.argv[2] ?? 2000);

async function run(mode: 'FULL' | 'NORMAL') {
  const file = join(mkdtempSync(join(tmpdir(), 'avf-bench-')), 'avf.db');
  const store = new SqliteStore(file);
  // the store opens with FULL; NORMAL is set afterwards on its own connection for the comparison
  (store as unknown as { db: Database.Database }).db.pragma(`synchronous = ${mode}`);
  const records = Array.from({ length: N }, (_, i) =>
    makeRequestRecord({ id: `req-bench-${mode}-${i}`, spec: { email: `bench-${mode}-${i}@example.com` } }),
  );
  let t = performance.now();
  const created = [];
  for (const r of records) created.push(await store.create(r));
  const createMs = performance.now() - t;
  t = performance.now();
  for (const r of created) await store.save({ ...r, attempts: 1 });
  const saveMs = performance.now() - t;
  await store.close();
  return {
    mode,
    writes: 2 * N,
    createPerSec: (N / createMs) * 1000,
    savePerSec: (N / saveMs) * 1000,
    createMs,
    saveMs,
  };
}

async function main() {
  const results = [await run('NORMAL'), await run('FULL'), await run('NORMAL'), await run('FULL')];
  for (const r of results)
    console.log(
      `${r.mode.padEnd(6)} ${N} creates ${r.createMs.toFixed(0)} ms (${r.createPerSec.toFixed(0)}/s), ${N} saves ${r.saveMs.toFixed(0)} ms (${r.savePerSec.toFixed(0)}/s)`,
    );
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    'bench-results/store-writes.json',
    JSON.stringify({ n: N, at: new Date().toISOString(), results }, null, 2),
  );
}

void main();
