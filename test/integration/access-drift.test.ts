import { CreateUserCommand, GetGroupIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import {
  CreateAccountAssignmentCommand,
  DescribePermissionSetCommand,
  ListAccountAssignmentsCommand,
  ListInstancesCommand,
  ListPermissionSetsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

/** IAM-5 on moto: an assignment made by hand in Identity Center fails verification and is revoked. */
describe('IAM-5 as truth: an Admin assignment added outside the factory', () => {
  let local: LocalFactory;
  let server: LocalApi;

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 17, workerId: 'access-worker' });
    server = await serveLocalApi(local, { lifecycle: true });
  });

  afterAll(async () => {
    await server?.close();
    await local?.stop();
  });

  const api = (method: string, path: string, body?: unknown) => server.call(method, path, body);

  it('fails IAM-5 with the assignment as evidence, then remediation removes it and records the finding', async () => {
    const posted = await api('POST', '/v1/account-requests', SAMPLE_REQUEST);
    let view = posted.body;
    for (let i = 0; i < 800 && !['READY', 'FAILED'].includes(view.status as string); i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = (await api('GET', `/v1/account-requests/${String(posted.body.id)}`)).body;
    }
    expect({ status: view.status, error: view.error }).toEqual({ status: 'READY', error: undefined });
    const accountId = view.accountId as string;

    // by hand: payments-developers → Admin, and a user → Admin, on the account
    const sso = new SSOAdminClient(local.sdk());
    const { InstanceArn: instanceArn, IdentityStoreId: storeId } = (
      await sso.send(new ListInstancesCommand({}))
    ).Instances![0]!;
    let adminArn = '';
    for (const arn of (await sso.send(new ListPermissionSetsCommand({ InstanceArn: instanceArn })))
      .PermissionSets ?? []) {
      const ps = await sso.send(
        new DescribePermissionSetCommand({ InstanceArn: instanceArn, PermissionSetArn: arn }),
      );
      if (ps.PermissionSet?.Name === 'Admin') adminArn = arn;
    }
    const store = new IdentitystoreClient(local.sdk());
    const groupId = (
      await store.send(
        new GetGroupIdCommand({
          IdentityStoreId: storeId,
          AlternateIdentifier: {
            UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'payments-developers' },
          },
        }),
      )
    ).GroupId!;
    const userId = (
      await store.send(
        new CreateUserCommand({
          IdentityStoreId: storeId,
          UserName: 'mallory',
          DisplayName: 'Mallory',
          Name: { GivenName: 'Mal', FamilyName: 'Lory' },
        }),
      )
    ).UserId!;
    for (const [PrincipalType, PrincipalId] of [
      ['GROUP', groupId],
      ['USER', userId],
    ] as const) {
      await sso.send(
        new CreateAccountAssignmentCommand({
          InstanceArn: instanceArn,
          TargetId: accountId,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn: adminArn,
          PrincipalType,
          PrincipalId,
        }),
      );
    }

    // read-only verification: IAM-5 FAILs and names both
    const { deps } = local.runtime;
    const record = await deps.store.findByAccountId(accountId);
    const verification = await deps.verifier.verify({ accountId, spec: record!.spec }, new Date());
    const iam5 = verification.results.find((r) => r.id === 'IAM-5');
    expect(iam5?.status).toBe('FAIL');
    expect(iam5?.evidence).toContain(
      `not requested: GROUP payments-developers → Admin, USER ${userId} → Admin`,
    );
    expect(verification.blocking).toContain('IAM-5');

    // verify now with drift.remediate on: the assignments are revoked, the finding recorded
    expect(deps.config.config.drift.remediate).toBe(true);
    const asked = await api('POST', `/v1/accounts/${accountId}/verify`);
    expect(asked.status).toBe(202);
    let job = asked.body;
    for (let i = 0; i < 400 && !['SUCCEEDED', 'FAILED'].includes(job.status as string); i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await api('GET', `/v1/accounts/${accountId}/verifications/${String(asked.body.id)}`)).body;
    }
    expect(job).toEqual(expect.objectContaining({ status: 'SUCCEEDED' }));
    const checked = await api('GET', `/v1/accounts/${accountId}/compliance`);
    expect(checked.body.remediated).toEqual([
      `revoked GROUP ${groupId} → ${adminArn}`,
      `revoked USER ${userId} → ${adminArn}`,
    ]);
    const results = checked.body.results as Array<{ id: string; status: string; evidence: string }>;
    expect(results.find((r) => r.id === 'IAM-5')).toEqual(
      expect.objectContaining({
        status: 'PASS',
        evidence: 'assigned (all listed): GROUP payments-developers → Developer',
      }),
    );
    const left = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: instanceArn,
        AccountId: accountId,
        PermissionSetArn: adminArn,
      }),
    );
    expect(left.AccountAssignments ?? []).toEqual([]);

    const events = (await deps.store.findByAccountId(accountId))?.events ?? [];
    expect(events.at(-1)).toMatchObject({
      type: 'Drift Finding',
      detail: {
        accountId,
        controlId: 'IAM-5',
        remediated: true,
        evidence: expect.stringContaining('not requested: GROUP payments-developers → Admin'),
      },
    });
  });
});
