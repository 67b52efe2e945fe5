import {
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  IAMClient,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { SWEEP_JOB_KIND } from '../../src/workflow/drift/sweep-kind';
import { Worker } from '../../src/workflow/worker';
import { serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

describe('drift sweep on moto: a control broken by hand is found and remediated', () => {
  let local: LocalFactory;
  let server: LocalApi;

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 13, workerId: 'drift-worker' });
    server = await serveLocalApi(local);
  });

  afterAll(async () => {
    await server?.close();
    await local?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => server.call(method, path, body);

  /** IAM in the member account, through the role the factory assumes. */
  const memberIam = async (accountId: string) => {
    const sts = new STSClient(local.sdk());
    const { Credentials: c } = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'someone-by-hand',
      }),
    );
    return new IAMClient({
      ...local.sdk(),
      credentials: {
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: c!.SessionToken!,
      },
    });
  };

  it('finds the deleted password policy, re-applies it and verifies it PASSes again', async () => {
    const posted = await api('POST', '/v1/account-requests', SAMPLE_REQUEST);
    let view = posted.body;
    for (let i = 0; i < 200 && !['READY', 'FAILED'].includes(view.status as string); i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await api('GET', `/v1/account-requests/${String(posted.body.id)}`)).body;
    }
    expect(view.status).toBe('READY');
    const accountId = view.accountId as string;

    const iam = await memberIam(accountId);
    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    await expect(iam.send(new GetAccountPasswordPolicyCommand({}))).rejects.toBeInstanceOf(
      NoSuchEntityException,
    );

    // one sweep, tick by tick of a worker running the sweep's job (it creates the job on its first)
    const { deps } = local.runtime;
    expect(deps.config.config.drift.remediate).toBe(true);
    const worker = new Worker(deps, { id: 'drift-it', kinds: [SWEEP_JOB_KIND] });
    let drift = (await api('GET', '/v1/drift')).body;
    for (let i = 0; i < 100 && !(drift.sweep as { finishedAt?: string } | undefined)?.finishedAt; i++) {
      // a tick that found the job not due yet: wait for the time it named
      if (!(await worker.tick()).busy) await new Promise((r) => setTimeout(r, 100));
      drift = (await api('GET', '/v1/drift')).body;
    }
    const sweep = drift.sweep as {
      accountsChecked: number;
      findings: Array<Record<string, unknown>>;
      stackSets: Array<{ stackSet: string; status: string; detail?: string }>;
    };
    expect(sweep.accountsChecked).toBe(1);
    expect(sweep.findings).toEqual([
      expect.objectContaining({ accountId, controlId: 'IAM-4', remediated: true }),
    ]);
    // moto has no DetectStackSetDrift: recorded, not fatal
    expect(sweep.stackSets.map((s) => s.status)).toEqual(sweep.stackSets.map(() => 'UNSUPPORTED'));
    expect(sweep.stackSets[0]?.detail).toMatch(/DetectStackSetDrift: NotImplemented/);

    // the policy is back in the member account, and the account's last verification says PASS
    const policy = (await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy;
    expect(policy?.MinimumPasswordLength).toBe(deps.config.config.hardening.passwordPolicy.minimumLength);
    const compliance = (await api('GET', `/v1/accounts/${accountId}/compliance`)).body;
    const results = compliance.results as Array<{ id: string; status: string }>;
    expect(results.find((r) => r.id === 'IAM-4')?.status).toBe('PASS');
    expect(compliance.remediated).toEqual(['password-policy@account']);

    // the finished sweep is in the history, with its finding; a new one starts on request, once
    const id = (drift.sweep as { id: string }).id;
    const history = (await api('GET', `/v1/drift/sweeps?accountId=${accountId}`)).body;
    expect(history.items).toEqual([
      expect.objectContaining({ id, findings: [expect.objectContaining({ controlId: 'IAM-4' })] }),
    ]);
    const started = await api('POST', '/v1/drift/sweeps');
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/v1/drift/sweeps/${String(started.body.id)}`);
    const again = await api('POST', '/v1/drift/sweeps');
    expect(again.status).toBe(409);
    expect((again.body.error as { message: string }).message).toContain(String(started.body.id));
  });
});
