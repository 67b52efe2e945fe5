import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { applyBootstrap } from '../../src/bootstrap';
import { createRuntime } from '../../src/cli/runtime';
import { startBehaviourProxy, type BehaviourProxy } from '../../src/local/aws-behaviour';
import { PROFILES } from '../../src/local/aws-behaviour/profile';
import { freePort, startMoto, type LocalAws } from '../../src/local/moto';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';

const REPO = resolve(__dirname, '../..');
const CONFIG = resolve(REPO, 'factory.config.yaml');
const ADMIN = 'replicas-admin-token';
const TABLE = 'avf-replicas';
const REQUESTS = 6;

/**
 * The deployment's shape on one machine: one `avf serve --no-worker` and three `avf worker`
 * processes sharing one DynamoDB table (moto's), as the API and worker replicas do on AWS.
 */
describe('one API and three worker processes on one DynamoDB table', () => {
  let moto: LocalAws;
  let proxy: BehaviourProxy;
  let url: string;
  const children: ChildProcess[] = [];
  const output: string[] = [];
  const saved = { ...process.env };

  const start = (args: string[], env: NodeJS.ProcessEnv) => {
    const child = spawn(process.execPath, [resolve(REPO, 'bin/avf.js'), ...args], { cwd: REPO, env });
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    children.push(child);
  };

  beforeAll(async () => {
    moto = await startMoto({ seed: 11 });
    // The behaviour layer gives moto AWS's asynchronous states and deploys StackSets to the listed
    // accounts only (moto ignores AccountFilterType), so six accounts can share one OU.
    proxy = await startBehaviourProxy({ upstream: moto.endpoint, profile: PROFILES.fast });
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
      AVF_CONFIG: CONFIG,
      AVF_STORE: `dynamodb:${TABLE}`,
      AVF_ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
    };
    Object.assign(process.env, env);
    // Opening the store creates the table; the organisation is bootstrapped first, as in a deployment.
    const runtime = await createRuntime({ configFile: CONFIG });
    await applyBootstrap(runtime.config, runtime.aws, { createGroups: true, pollIntervalMs: 200 });
    await runtime.close();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    start(['serve', '--no-worker', '--port', String(port)], env);
    for (let i = 0; i < 3; i++) start(['worker'], env);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const up = await fetch(`${url}/healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`avf serve did not start:\n${output.join('')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((done) => {
            if (c.exitCode !== null) return done();
            c.once('exit', () => done());
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
    await proxy?.stop();
    await moto?.stop();
    process.env = saved;
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('takes six requests to READY, each with exactly one account', async () => {
    const emails = Array.from({ length: REQUESTS }, (_, i) => `aws+replica-${i}@example.com`);
    const ids: string[] = [];
    for (const [i, email] of emails.entries()) {
      const res = await api('POST', '/v1/account-requests', {
        ...SAMPLE_REQUEST,
        accountName: `replica-${i}`,
        email,
      });
      expect(res.status).toBe(202);
      ids.push(res.body.id as string);
    }

    const deadline = Date.now() + 150_000;
    let views: Record<string, unknown>[] = [];
    for (;;) {
      views = await Promise.all(ids.map(async (id) => (await api('GET', `/v1/account-requests/${id}`)).body));
      if (views.every((v) => v.status === 'READY' || v.status === 'FAILED')) break;
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(views.map((v) => [v.status, v.error])).toEqual(views.map(() => ['READY', undefined]));
    for (const v of views) expect(v.accountId).toMatch(/^\d{12}$/);

    const orgs = new OrganizationsClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const accounts = [];
    for await (const page of paginateListAccounts({ client: orgs }, {}))
      accounts.push(...(page.Accounts ?? []));
    for (const [i, email] of emails.entries()) {
      expect(accounts.filter((a) => a.Email === email).map((a) => a.Id)).toEqual([views[i]!.accountId]);
    }
  }, 200_000);
});
