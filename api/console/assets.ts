import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentTypeOf, type ConsoleAsset } from './page';

/**
 * Where the console's built files are read from, when set: the Lambda bundle sets it to the
 * `console/` folder its bundling wrote with `writeConsoleAssets` (src/infra/compute.ts). Unset
 * (`avf serve`, the demo, the tests), the console is built from api/console/ui with esbuild on
 * first use, so a fresh clone needs no build step.
 */
export const CONSOLE_DIR_ENV = 'AVF_CONSOLE_DIR';

async function readBuilt(dir: string): Promise<ConsoleAsset[]> {
  const names = await readdir(dir);
  return Promise.all(
    names.map(async (name) => ({ name, type: contentTypeOf(name), body: await readFile(join(dir, name)) })),
  );
}

async function buildNow(): Promise<ConsoleAsset[]> {
  const { buildConsoleAssets } = await import('./build');
  return buildConsoleAssets();
}

let loading: Promise<Map<string, ConsoleAsset>> | undefined;

/** The console's files by name, built or read once per process. */
export function consoleAssets(): Promise<Map<string, ConsoleAsset>> {
  loading ??= (async () => {
    const dir = process.env[CONSOLE_DIR_ENV];
    const assets = dir ? await readBuilt(dir) : await buildNow();
    return new Map(assets.map((a) => [a.name, a]));
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
