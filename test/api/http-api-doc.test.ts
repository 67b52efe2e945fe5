import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifecycleFixture } from './lifecycle-fixture';

/** Every route the app serves with the lifecycle routes on, as `METHOD /path/{param}`. */
async function servedRoutes(): Promise<string[]> {
  const f = await lifecycleFixture();
  const routes: string[] = [];
  f.app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods.filter((m) => m !== 'HEAD'))
      routes.push(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
  });
  await f.app.ready();
  await f.app.close();
  return [...new Set(routes)];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('docs/http-api.md', () => {
  it('documents every route the API serves, by method and full path', async () => {
    const doc = readFileSync(join(__dirname, '../../docs/http-api.md'), 'utf8');
    // Swagger UI's own assets under /docs/ are the UI, not the API.
    const routes = (await servedRoutes()).filter((r) => !/^GET \/docs\/./.test(r));
    const missing = routes.filter((r) => !new RegExp(`${escape(r)}(?=[\`?\\s])`).test(doc));
    expect(routes.length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
