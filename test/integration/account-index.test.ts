import {
  CreateAccountCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { buildApp } from '../../api/app';
import { SAMPLE_REQUEST } from '../../src/local/sample-request';
import { EMAIL_ENTRY_KIND, readIndexState } from '../../src/workflow/org-index/account-email-index';
import { INDEX_REFRESH_KIND } from '../../src/workflow/org-index/refresh-kind';
import { stepKind } from '../support/job-steps';
import { ADMIN } from '../support/local-api';
import { startLocalFactory, type LocalFactory } from '../support/local-factory';

/** Accounts made in moto outside the factory, more than two pages of ListAccounts. */
const MADE_BY_HAND = 45;

describe('the organisation account index on moto: the refresh job reads real ListAccounts pages', () => {
  let local: LocalFactory;
  let listed: string[];

  beforeAll(async () => {
    local = await startLocalFactory({ seed: 29, workerId: 'account-index-worker' });
    const org = new OrganizationsClient(local.sdk());
    for (let i = 0; i < MADE_BY_HAND; i++)
      await org.send(
        new CreateAccountCommand({ AccountName: `by-hand-${i}`, Email: `By-Hand-${i}@Example.com` }),
      );
    listed = [];
    let NextToken: string | undefined;
    do {
      const page = await org.send(new ListAccountsCommand({ NextToken }));
      listed.push(...(page.Accounts ?? []).map((a) => a.Email?.toLowerCase() ?? ''));
      NextToken = page.NextToken;
    } while (NextToken);
  });

  afterAll(async () => {
    await local?.stop();
  });

  it('indexes every e-mail ListAccounts lists, page by page, and the intake then refuses a used one with 409, writing nothing', async () => {
    const { deps } = local.runtime;
    for (let i = 0; i < 20 && !(await readIndexState(deps.store)).lastWalk; i++)
      await stepKind(deps, INDEX_REFRESH_KIND, 'account-index-worker');
    const state = await readIndexState(deps.store);
    expect(listed.length).toBeGreaterThan(MADE_BY_HAND);
    expect(state).toMatchObject({
      entries: listed.length,
      lastWalk: { accounts: listed.length, added: listed.length },
    });
    expect(state.lastWalk?.pages).toBeGreaterThanOrEqual(Math.ceil(listed.length / 20));
    const ids = [];
    let cursor: string | undefined;
    do {
      const page = await deps.store.listDocuments(EMAIL_ENTRY_KIND, {
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids.sort()).toEqual([...listed].sort());

    // the API as `avf serve` wires it; the directory counts the ListAccounts walks it is asked for
    let walks = 0;
    const organizations = local.runtime.aws.organizations;
    const app = buildApp({
      store: local.runtime.store,
      config: local.runtime.config,
      clock: deps.clock,
      adminToken: ADMIN,
      accountDirectory: {
        findAccountByEmail: (email) => {
          walks += 1;
          return organizations.findAccountByEmail(email);
        },
      },
      accessCatalog: deps.accessCatalog,
    });
    try {
      const post = (email: string) =>
        app.inject({
          method: 'POST',
          url: '/v1/account-requests',
          headers: { authorization: `Bearer ${ADMIN}` },
          payload: { ...SAMPLE_REQUEST, email },
        });
      const refused = await post('by-hand-44@example.com');
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toEqual({
        error: {
          code: 'EMAIL_IN_USE',
          message: 'email by-hand-44@example.com is already used by an account in the organisation',
        },
      });
      expect((await local.runtime.store.list({ limit: 10 })).items).toEqual([]);
      expect(walks).toBe(0);

      const accepted = await post('aws+payments-new@example.com');
      expect(accepted.statusCode).toBe(202);
      expect(walks).toBe(0);
    } finally {
      await app.close();
    }
  });
});
