/**
 * A separate process for the cross-process claim test: opens the SQLite file given as argv[2],
 * waits until the shared start time argv[4] so every worker begins together, claims until nothing
 * is left, and prints the claimed ids as JSON.
 */
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store';

async function main(): Promise<void> {
  const [file, owner, startAt] = process.argv.slice(2);
  if (!file || !owner || !startAt) throw new Error('usage: claim-worker FILE OWNER START_AT_MS');
  const store = new SqliteStore(file);
  while (Date.now() < Number(startAt)) await new Promise((resolve) => setTimeout(resolve, 5));
  const claimed: string[] = [];
  for (;;) {
    const batch = await store.claimDue({ now: new Date(), owner, leaseMs: 3_600_000, limit: 2 });
    if (batch.length === 0) break;
    claimed.push(...batch.map((r) => r.id));
    // Yield between batches so the processes' claims interleave instead of one finishing first.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await store.close();
  process.stdout.write(JSON.stringify(claimed));
}

main().catch((err: unknown) => {
  process.stderr.write(String(err));
  process.exit(1);
});
