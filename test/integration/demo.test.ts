import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * `avf demo --exit` as a newcomer runs it: its own moto, its own admin token and temporary store,
 * the sample request to READY, and nothing left behind.
 */
describe('avf demo --exit', () => {
  it('vends the sample account to READY, exits 0 and removes its temporary store', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['AWS_ENDPOINT_URL', 'AVF_ADMIN_TOKEN', 'AVF_STORE', 'PORT']) delete env[name];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(__dirname, '../../bin/avf.js'), 'demo', '--exit', '--port', '0'],
      { env, timeout: 240_000 },
    );
    expect(stdout).toMatch(/request req-[0-9a-f]+: READY/);
    const store = /store: sqlite:(\S+)/.exec(stdout)?.[1];
    expect(store).toMatch(/avf-demo-/);
    expect(existsSync(dirname(store!))).toBe(false);
  }, 300_000);
});
