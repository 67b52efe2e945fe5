import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeConsoleAssets } from '../api/console/build';

/**
 * Builds the web console (api/console/ui) into a folder: what the Lambda bundle serves through
 * AVF_CONSOLE_DIR. `avf serve`, the demo and the tests need no such step: they build in memory.
 *
 *   npx tsx scripts/build-console.ts OUT_DIR
 */
async function main(): Promise<void> {
  const dir = resolve(process.argv[2] ?? 'dist/console');
  const assets = await writeConsoleAssets(dir);
  for (const a of assets) {
    console.log(`${a.name}\t${a.body.length} B\t${gzipSync(a.body).length} B gzipped`);
  }
  console.log(`console written to ${dir}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
