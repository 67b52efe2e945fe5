import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { contentTypeOf, pageHtml, type ConsoleAsset } from './page';

/** The browser code: Preact + htm, TypeScript, one entry point that also imports the styles. */
export const CONSOLE_ENTRY = join(__dirname, 'ui', 'main.ts');

/**
 * Bundles the console with esbuild, in memory: a minified script and style sheet named by their
 * content hash (so they can be cached for ever) and the page that loads them.
 */
export async function buildConsoleAssets(): Promise<ConsoleAsset[]> {
  const result = await build({
    entryPoints: [CONSOLE_ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    outdir: 'out',
    entryNames: '[name]-[hash]',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const files = result.outputFiles.map((file) => {
    const name = basename(file.path);
    return { name, type: contentTypeOf(name), body: Buffer.from(file.contents) };
  });
  const script = files.find((f) => f.name.endsWith('.js'));
  const style = files.find((f) => f.name.endsWith('.css'));
  if (!script || !style) throw new Error('the console build produced no script or no style sheet');
  const html = pageHtml(script.name, style.name);
  return [...files, { name: 'index.html', type: contentTypeOf('index.html'), body: Buffer.from(html) }];
}

/** Writes the built console into `dir` (the Lambda bundle's `console/`, see src/infra/compute.ts). */
export async function writeConsoleAssets(dir: string): Promise<ConsoleAsset[]> {
  const assets = await buildConsoleAssets();
  await mkdir(dir, { recursive: true });
  for (const asset of assets) await writeFile(join(dir, asset.name), asset.body);
  return assets;
}
