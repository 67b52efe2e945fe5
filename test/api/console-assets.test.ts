import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeConsoleAssets } from '../../api/console/build';

describe('the console build', () => {
  it('writes the page, a hashed script and style sheet that the page names, well under 200 KB gzipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avf-console-'));
    const assets = await writeConsoleAssets(dir);
    expect(readdirSync(dir).sort()).toEqual(assets.map((a) => a.name).sort());
    const page = assets.find((a) => a.name === 'index.html')?.body.toString('utf8') ?? '';
    const named = [...page.matchAll(/\/console\/(main-\w+\.(?:js|css))/g)].map((m) => m[1]);
    expect(named.sort()).toEqual(
      assets
        .filter((a) => a.name !== 'index.html')
        .map((a) => a.name)
        .sort(),
    );
    const gzipped = assets.reduce((n, a) => n + gzipSync(a.body).length, 0);
    expect(gzipped).toBeLessThan(200 * 1024);
  });

  it('is read from AVF_CONSOLE_DIR when set (the Lambda bundle), not built again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avf-console-'));
    const written = await writeConsoleAssets(dir);
    const saved = process.env.AVF_CONSOLE_DIR;
    process.env.AVF_CONSOLE_DIR = dir;
    try {
      let served: Map<string, { body: Buffer }> | undefined;
      await jest.isolateModulesAsync(async () => {
        jest.doMock('../../api/console/build', () => {
          throw new Error('must not build when AVF_CONSOLE_DIR is set');
        });
        const { consoleAssets } = await import('../../api/console/assets');
        served = await consoleAssets();
      });
      expect([...(served?.keys() ?? [])].sort()).toEqual(written.map((a) => a.name).sort());
      for (const a of written) expect(served?.get(a.name)?.body.equals(a.body)).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.AVF_CONSOLE_DIR;
      else process.env.AVF_CONSOLE_DIR = saved;
    }
  });
});
