import { ConflictError } from '../../../src/domain/errors';
import { submitAccountRequest } from '../../../src/workflow/intake';
import { readIndexState } from '../../../src/workflow/org-index/account-email-index';
import { harness } from '../workflow/harness';
import { body, existingAccounts, intake, platform, refresh, step } from './index-harness';

describe('the intake with the organisation account index', () => {
  it('refuses an e-mail of the index with 409 EMAIL_IN_USE, without asking AWS, and writes nothing', async () => {
    const h = await harness();
    const [used] = existingAccounts(h, 60);
    await refresh(h);
    const error = await submitAccountRequest(intake(h), platform, body(used!.toUpperCase())).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      code: 'EMAIL_IN_USE',
      message: expect.stringContaining('already used by an account in the organisation') as unknown,
    });
    expect(h.aws.calls.findAccountByEmail).toBeUndefined();
    expect((await h.store.list({ limit: 10 })).items).toHaveLength(0);
  });

  it('accepts an e-mail the index does not hold with document reads only', async () => {
    const h = await harness();
    existingAccounts(h, 60);
    await refresh(h);
    const record = await submitAccountRequest(intake(h), platform, body('new@example.com'));
    expect(record.status).toBe('QUEUED');
    expect(h.aws.calls.findAccountByEmail).toBeUndefined();
  });

  it('asks AWS (ListAccounts) while the index has never been built', async () => {
    const h = await harness();
    const emails = existingAccounts(h, 260);
    await step(h); // a walk under way (200 accounts indexed) is not a built index
    expect((await readIndexState(h.store)).lastWalk).toBeUndefined();
    const notYetIndexed = emails[emails.length - 1]!;
    await expect(submitAccountRequest(intake(h), platform, body(notYetIndexed))).rejects.toMatchObject({
      code: 'EMAIL_IN_USE',
    });
    expect(h.aws.calls.findAccountByEmail).toBe(1);
    await submitAccountRequest(intake(h), platform, body('new@example.com'));
    expect(h.aws.calls.findAccountByEmail).toBe(2);
  });

  it('an e-mail already indexed by a walk under way is refused without asking AWS', async () => {
    const h = await harness();
    const emails = existingAccounts(h, 260);
    await step(h);
    await expect(submitAccountRequest(intake(h), platform, body(emails[0]!))).rejects.toMatchObject({
      code: 'EMAIL_IN_USE',
    });
    expect(h.aws.calls.findAccountByEmail).toBeUndefined();
  });

  it('an account made by hand since the last refresh: accepted, then CreateAccount fails EMAIL_ALREADY_EXISTS naming it', async () => {
    const h = await harness();
    await refresh(h);
    const id = h.aws.organizations.addAccount({ name: 'made-by-hand', email: 'late@example.com' });
    const record = await submitAccountRequest(intake(h), platform, body('late@example.com'));
    const done = await h.runToEnd(record.id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toMatchObject({ code: 'EMAIL_ALREADY_EXISTS', phase: 'create-account' });
    expect(done.error?.message).toContain(`already belongs to account ${id} (made-by-hand)`);
    const holders = [...h.aws.organizations.accounts.values()].filter((a) => a.email === 'late@example.com');
    expect(holders.map((a) => a.id)).toEqual([id]);
  });
});
