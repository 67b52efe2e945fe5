import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { lifecycleFixture } from './lifecycle-fixture';

interface Problem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: Array<{ pointer: string }>;
}
type Doc = {
  servers: unknown[];
  paths: Record<
    string,
    Record<
      string,
      {
        operationId?: string;
        description?: string;
        responses: Record<string, { description: string; content?: unknown }>;
      }
    >
  >;
  components: { schemas: Record<string, unknown> };
};

/** The document as served, with every route (the lifecycle ones need AWS deps: the harness's). */
async function servedDocument(): Promise<Doc> {
  const f = await lifecycleFixture();
  const res = await f.app.inject({
    method: 'GET',
    url: '/openapi.json',
    headers: { authorization: `Bearer ${f.tokens.auditor}` },
  });
  expect(res.statusCode).toBe(200);
  await f.app.close();
  return res.json<Doc>();
}

const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op })),
  );

describe('the OpenAPI document', () => {
  let doc: Doc;
  beforeAll(async () => {
    doc = await servedDocument();
  });

  it("passes Redocly's recommended ruleset: no errors; one warning, by design (/healthz has no 4xx)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'avf-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(doc));
      const cli = require.resolve('@redocly/cli/bin/cli.js');
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [cli, 'lint', file, '--format=json', '--extends=recommended'],
        { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
      ).catch((e: { stdout: string }) => e);
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { problems: Problem[] };
      const lines = report.problems.map(
        (p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`,
      );
      // /healthz takes no input and no token, so it cannot answer a 4xx; inventing one would lie.
      expect(lines).toEqual([
        'warn operation-4xx-response #/paths/~1healthz/get/responses: Operation must have at least one `4XX` response.',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a server, gives every operation a unique operationId and a description, and every response a description', () => {
    expect(doc.servers.length).toBeGreaterThan(0);
    const ops = operations(doc);
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ops.length);
    for (const { path, method, op } of ops) {
      expect({ path, method, description: typeof op.description }).toEqual({
        path,
        method,
        description: 'string',
      });
      for (const [status, response] of Object.entries(op.responses))
        expect({ path, method, status, description: response.description }).not.toMatchObject({
          description: 'Default Response',
        });
    }
  });

  it('documents 400/413/415/429/500 with the error envelope where the server can answer them', () => {
    const submit = doc.paths['/v1/account-requests']!.post!;
    for (const status of ['400', '401', '413', '415', '429', '500'])
      expect(submit.responses[status]?.content).toEqual({
        'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } },
      });
    expect(Object.keys(doc.paths['/healthz']!.get!.responses)).toEqual(['200', '500']);
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
  });
});
