import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { factoryProcess, type FactoryProcess } from '../../test/support/harness/factory-process';
import { startLocalOrg, type LocalOrg } from '../../test/support/harness/local-org';
import { PROFILES } from '../../src/local/aws-behaviour/profile';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { openStore } from '../../src/store/open-store';

const ADMIN = 'replicas-admin-token-0123456789abcdef';
const TABLE = 'avf-replicas';
const REQUESTS = 6;

/**
 * The deployment's shape on one machine: one `avf serve --no-worker` and three `avf worker`
 * processes sharing one DynamoDB table (moto's), as the API and worker replicas do on AWS. The
 * behaviour layer gives moto AWS's asynchronous states and deploys StackSets to the listed
 * accounts only (moto ignores AccountFilterType), so six accounts can share one OU.
 */
describe('one API and three worker processes on one DynamoDB table', () => {
  let org: LocalOrg;
  let url: string;
  const processes: FactoryProcess[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    org = await startLocalOrg({ profile: PROFILES.fast });
    const env = { ...org.env, AVF_STORE: `dynamodb:${TABLE}`, AVF_ADMIN_TOKEN: ADMIN };
    // Opening the store creates the table, before the replicas race to it.
    Object.assign(process.env, env);
    await (await openStore(env.AVF_STORE)).close();
    const api = await factoryProcess({ command: 'serve', args: ['--no-worker'], env });
    processes.push(api);
    for (let i = 0; i < 3; i++) processes.push(await factoryProcess({ command: 'worker', env }));
    for (const p of processes) await p.start();
    url = api.url;
  }, 120_000);

  afterAll(async () => {
    for (const p of processes) await p.stop();
    await org?.stop();
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
      endpoint: org.moto.endpoint,
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
