import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { checkAwsAccess } from '../../src/app/access-check';
import { createAwsPorts } from '../../src/aws';
import { startMoto, type LocalAws } from '../../src/local/moto';

const AVF = join(__dirname, '../../bin/avf.js');
const home = mkdtempSync(join(tmpdir(), 'avf-access-'));

/** A clean environment: no credentials anywhere the SDK looks (env, files, instance metadata). */
const bareEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: home,
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
  AWS_CONFIG_FILE: join(home, 'none'),
  AVF_STORE: `sqlite:${join(home, 'avf.db')}`,
  AVF_EMULATOR: '1',
  ...extra,
});

async function avf(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [AVF, ...args], {
      env,
      timeout: 60_000,
    });
    return { code: 0, stderr };
  } catch (e) {
    const failed = e as { code?: number; stderr?: string };
    return { code: failed.code ?? -1, stderr: failed.stderr ?? '' };
  }
}

let moto: LocalAws;
beforeAll(async () => {
  moto = await startMoto({ seed: 18 });
}, 60_000);
afterAll(async () => {
  await moto.stop();
  rmSync(home, { recursive: true, force: true });
});

const onMoto = () =>
  bareEnv({ AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });

describe('avf checks its AWS access before it starts', () => {
  it('`avf serve` without credentials exits 2 with one actionable line, before listening', async () => {
    const { code, stderr } = await avf(['serve', '--port', '0'], bareEnv());
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'avf: no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, for the management account (locally: the values the demo prints)',
    ]);
  }, 60_000);

  it('`avf worker` and `avf bootstrap` say the same', async () => {
    for (const args of [['worker'], ['bootstrap', '--dry-run']]) {
      const { code, stderr } = await avf(args, bareEnv());
      expect({ args, code, line: stderr.trim() }).toEqual({
        args,
        code: 2,
        line: expect.stringMatching(/^avf: no AWS credentials: /) as unknown,
      });
    }
  }, 120_000);

  it('on moto with no organisation: serve is refused, bootstrap may go on and create it', async () => {
    const serve = await avf(['serve', '--port', '0'], onMoto());
    expect(serve.code).toBe(2);
    expect(serve.stderr.trim()).toMatch(
      /^avf: account \d{12} is in no organization: run `avf bootstrap` with the management account's credentials first/,
    );
    const plan = await avf(['bootstrap', '--dry-run'], onMoto());
    expect(plan).toEqual({ code: 0, stderr: '' });
  }, 120_000);

  it('on moto with an organisation: the management account passes, through the real adapters', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, onMoto());
    try {
      const aws = createAwsPorts({ region: 'us-east-1' });
      const org = await aws.organizations.createOrganization();
      await expect(checkAwsAccess(aws, { purpose: 'factory' })).resolves.toEqual({
        accountId: org.managementAccountId,
        organizationId: org.id,
        managementAccountId: org.managementAccountId,
      });
    } finally {
      process.env = saved;
    }
  }, 60_000);
});
