import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { vendWithGeneratedClient } from '../../api/client/vend';
import { ADMIN, serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

/**
 * A client generated from the OpenAPI document (openapi-typescript types, openapi-fetch calls),
 * used as an outside team would: against the real API on moto, with every route the server has.
 */
const CLIENT_SCRIPT = join(__dirname, '../../api/client/vend.ts');

describe('the client generated from the OpenAPI document', () => {
  let local: LocalFactory;
  let server: LocalApi;

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 31, workerId: 'generated-client-worker' });
    server = await serveLocalApi(local, { lifecycle: true });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await local?.stop();
  });

  it('is up to date with the served /openapi.json (else: npm run gen:client against a running server)', async () => {
    // openapi-typescript is an ES module jest cannot load: the script runs as users run it, under tsx.
    const tsx = require.resolve('tsx/cli');
    const script = join(__dirname, '../../scripts/gen-api-client.ts');
    const { stdout } = await promisify(execFile)(process.execPath, [
      tsx,
      script,
      '--check',
      `${server.url}/openapi.json`,
    ]);
    expect(stdout).toMatch(/schema\.ts is up to date with http:\/\/127\.0\.0\.1:\d+\/openapi\.json/);
  }, 60_000);

  it('compiles: the script using it type-checks on its own, with no diagnostic', () => {
    const program = ts.createProgram([CLIENT_SCRIPT], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 120_000);

  it('drives a vend through the real API to READY, and reads a 400 as the typed error envelope', async () => {
    await expect(vendWithGeneratedClient(server.url, ADMIN, 'generated-client')).resolves.toEqual({
      id: expect.stringMatching(/^req-/) as unknown,
      status: 'READY',
      accountId: expect.stringMatching(/^\d{12}$/) as unknown,
      refusedCode: 'VALIDATION_FAILED',
    });
  }, 120_000);
});
