import { DeleteGroupCommand, GetGroupIdCommand, IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { PROFILES } from '../../src/local/aws-behaviour';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { serveLocalApi, type LocalApi } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

describe('Identity Center pre-flight on moto, behind the AWS behaviour layer: real API over HTTP', () => {
  let local: LocalFactory;
  let server: LocalApi;

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 13, workerId: 'preflight-worker', behaviour: PROFILES.instant });
    server = await serveLocalApi(local);
  });

  afterAll(async () => {
    await server?.close();
    await local?.stop();
  });

  /** Deletes a group bootstrap created (the identity provider dropped it). */
  async function deleteGroup(displayName: string): Promise<void> {
    const sso = new SSOAdminClient(local.sdk());
    const identityStoreId = (await sso.send(new ListInstancesCommand({}))).Instances?.[0]?.IdentityStoreId;
    const store = new IdentitystoreClient(local.sdk());
    const { GroupId } = await store.send(
      new GetGroupIdCommand({
        IdentityStoreId: identityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: { AttributePath: 'displayName', AttributeValue: displayName },
        },
      }),
    );
    await store.send(new DeleteGroupCommand({ IdentityStoreId: identityStoreId, GroupId }));
  }

  const accountCount = async () =>
    (await new OrganizationsClient(local.sdk()).send(new ListAccountsCommand({}))).Accounts?.length ?? 0;

  it('refuses a request for a group Identity Center lacks with 400 before any account exists', async () => {
    const accountsBefore = await accountCount();
    await deleteGroup('payments-developers');

    const posted = await server.call('POST', '/v1/account-requests', SAMPLE_REQUEST);
    expect(posted.status).toBe(400);
    expect(posted.body).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'the request is invalid: 1 problem(s)',
        problems: [
          {
            path: 'body.access[0].group',
            message:
              'group payments-developers does not exist in IAM Identity Center; create it in the identity provider (or its sync) first',
          },
        ],
      },
    });
    expect((await server.call('GET', '/v1/account-requests')).body.items).toEqual([]);
    // give the worker time to act if anything had been queued: no account was created
    await new Promise((r) => setTimeout(r, 500));
    expect(await accountCount()).toBe(accountsBefore);
  });

  it("names the missing group beside the config's own refusal, asking Identity Center only about configured grants", async () => {
    const posted = await server.call('POST', '/v1/account-requests', {
      ...SAMPLE_REQUEST,
      email: 'aws+payments-dev-2@example.com',
      access: [
        { group: 'ledger-developers', permissionSet: 'Developer' },
        { group: 'payments-developers', permissionSet: 'ReadOnly' },
      ],
    });
    expect(posted.status).toBe(400);
    const problems = (posted.body.error as { problems: Array<{ path: string }> }).problems;
    // ledger-developers exists but belongs to another team: the config rule refuses it, and only
    // the configured grant reaches Identity Center
    expect(problems.map((p) => p.path)).toEqual(['body.access[0].group', 'body.access[1].group']);
  });
});
