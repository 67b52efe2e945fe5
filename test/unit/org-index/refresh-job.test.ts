import { EMAIL_ENTRY_KIND, readIndexState } from '../../../src/workflow/org-index/account-email-index';
import { INDEX_REFRESH_JOB_ID, INDEX_REFRESH_KIND } from '../../../src/workflow/org-index/refresh-kind';
import { crashHolding } from '../../support/job-steps';
import { harness } from '../workflow/harness';
import { entries, existingAccounts, HOUR, job, refresh, step } from './index-harness';

describe('the organisation account index', () => {
  it('indexes every account e-mail of the organisation, ten pages of 20 a step', async () => {
    const h = await harness();
    const emails = existingAccounts(h, 250);
    const inOrganisation = h.aws.organizations.accounts.size;
    const pages = Math.ceil(inOrganisation / 20);
    expect(pages).toBeGreaterThan(10);

    expect(await step(h)).toBe(1);
    expect(h.aws.calls.listAccountsPage).toBe(10);
    expect((await job(h))?.detail).toMatch(/^indexing: 10 pages, 200 accounts read/);
    expect((await readIndexState(h.store)).lastWalk).toBeUndefined();
    await step(h);
    expect(h.aws.calls.listAccountsPage).toBe(pages);

    const state = await readIndexState(h.store);
    expect(state).toEqual({
      entries: inOrganisation,
      lastWalk: expect.objectContaining({
        pages,
        accounts: inOrganisation,
        added: inOrganisation,
      }) as unknown,
    });
    // keyed by the normalised e-mail
    const entry = await h.store.getDocument(EMAIL_ENTRY_KIND, emails[7]!.toLowerCase());
    expect(entry?.body).toMatchObject({ accountId: expect.stringMatching(/^\d{12}$/) as unknown });
  });

  it('walks again only after worker.accountIndexRefreshMinutes, writing only the new e-mails', async () => {
    const h = await harness();
    existingAccounts(h, 30);
    await refresh(h);
    const first = (await readIndexState(h.store)).lastWalk!;
    const calls = h.aws.calls.listAccountsPage;
    const waiting = await job(h);
    expect(waiting?.nextCheckAt).toBe(new Date(Date.parse(first.startedAt) + HOUR).toISOString());

    h.clock.advance(30 * 60_000);
    expect(await step(h)).toBe(0);
    expect(h.aws.calls.listAccountsPage).toBe(calls);

    h.aws.organizations.addAccount({ name: 'by-hand', email: 'by-hand@example.com' });
    h.clock.advance(30 * 60_000);
    await refresh(h);
    const second = (await readIndexState(h.store)).lastWalk!;
    expect(second).toMatchObject({ added: 1, accounts: first.accounts + 1 });
    expect(await entries(h)).toBe(first.accounts + 1);
  });

  it('resumes a walk where its last saved step ended after a worker died mid-step', async () => {
    const h = await harness();
    existingAccounts(h, 400);
    const pages = Math.ceil(h.aws.organizations.accounts.size / 20);
    await step(h);
    expect(h.aws.calls.listAccountsPage).toBe(10);

    // a second worker claims the job and dies before saving: its lease runs out
    await crashHolding(h.deps, INDEX_REFRESH_KIND, INDEX_REFRESH_JOB_ID);
    expect(await step(h)).toBe(0);
    h.clock.advance(5 * 60_000 + 1);
    await refresh(h);
    // pages 11… were read once: the walk went on from the saved token, not from the first page
    expect(h.aws.calls.listAccountsPage).toBe(pages);
    expect((await readIndexState(h.store)).entries).toBe(h.aws.organizations.accounts.size);
  });

  it('keeps the pages read before a throttle and goes on from the throttled one', async () => {
    const h = await harness();
    existingAccounts(h, 100);
    const pages = Math.ceil(h.aws.organizations.accounts.size / 20);
    const original = h.aws.organizations.listAccountsPage.bind(h.aws.organizations);
    let call = 0;
    jest.spyOn(h.aws.organizations, 'listAccountsPage').mockImplementation((token) => {
      call += 1;
      if (call === 4) h.aws.throttle('listAccountsPage');
      return original(token);
    });
    await step(h);
    expect((await job(h))?.detail).toMatch(/^transient: /);
    expect((await job(h))?.state).toMatchObject({ walk: { pages: 3 } });
    h.clock.advance(60_000);
    await refresh(h);
    expect(call).toBe(pages + 1);
  });

  it("starts the walk again when AWS refuses the saved page's token", async () => {
    const h = await harness();
    existingAccounts(h, 300);
    await step(h);
    const saved = (await job(h))?.state as { walk: { nextToken: string } };
    expect(saved.walk.nextToken).toBeDefined();
    await h.store.jobs.saveJob({
      ...(await job(h))!,
      state: { walk: { ...saved.walk, nextToken: 'expired' } },
    });
    await step(h);
    expect((await job(h))?.detail).toMatch(/refused the walk's token .*starting the walk again/);
    await refresh(h);
    expect((await readIndexState(h.store)).entries).toBe(h.aws.organizations.accounts.size);
  });
});
