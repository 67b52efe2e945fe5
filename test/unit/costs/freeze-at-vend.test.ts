import { MANAGEMENT_ACCOUNT_ID } from '../../support/fake-aws/organizations';
import { budget } from '../../../src/workflow/steps/budget';
import { harness, submit, type Harness } from '../workflow/harness';

/** The vend's budget step arms the spending freeze the config asks for; B-2 and G-12 verify it. */
describe('spending freeze at vend, and the finance controls', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });

  const result = (record: { lastVerification?: { results: Array<{ id: string }> } }, id: string) =>
    record.lastVerification?.results.find((r) => r.id === id);

  it('creates the manual freeze of a payments account at vend, and B-2 and G-12 pass with evidence', async () => {
    const done = await h.runToEnd((await submit(h)).id);
    expect(done.status).toBe('READY');
    const accountId = done.accountId ?? '';
    const actions = await h.aws.budgets.listActionsOfBudget(MANAGEMENT_ACCOUNT_ID, `avf-${accountId}`);
    const freezePolicy = await h.deps.directory.policyId('spending-freeze');
    expect(actions).toEqual([
      expect.objectContaining({
        status: 'STANDBY',
        approval: 'MANUAL',
        thresholdPercent: 120,
        policyId: freezePolicy,
        targetIds: [accountId],
      }),
    ]);
    const spec = h.aws.budgets.actions.get(actions[0]?.actionId ?? '')?.spec;
    expect(spec?.executionRoleArn).toBe(`arn:aws:iam::${MANAGEMENT_ACCOUNT_ID}:role/avf-budget-actions`);
    expect(spec?.emails).toEqual(['finance@example.com', 'payments-lead@example.com']);
    const budgetStep = done.steps.find((s) => s.name === 'budget');
    expect(budgetStep?.detail).toMatch(/spending freeze at 120 % \(MANUAL\), STANDBY$/);

    expect(result(done, 'B-2')).toEqual(
      expect.objectContaining({
        status: 'PASS',
        evidence: expect.stringMatching(/applies spending-freeze at 120 % \(MANUAL\), STANDBY$/),
      }),
    );
    expect(result(done, 'G-12')).toEqual(
      expect.objectContaining({
        status: 'PASS',
        evidence: 'CostCenter, Team, Owner: Active (ce:ListCostAllocationTags)',
      }),
    );
  });

  it('a budget step run again (it died before saving) keeps the budget and creates no second freeze', async () => {
    const done = await h.runToEnd((await submit(h)).id);
    const name = `avf-${done.accountId ?? ''}`;
    const before = await h.aws.budgets.listActionsOfBudget(MANAGEMENT_ACCOUNT_ID, name);
    const calls = { create: h.aws.calls.createBudget ?? 0, freeze: h.aws.calls.createFreezeAction ?? 0 };
    const again = await budget({
      deps: h.deps,
      record: structuredClone(done),
      now: h.clock.now(),
      checkpoint: async () => {},
    });
    expect(again.kind).toBe('done');
    expect(await h.aws.budgets.listActionsOfBudget(MANAGEMENT_ACCOUNT_ID, name)).toEqual(before);
    expect(before).toHaveLength(1);
    // CreateBudget was tried (and found the budget there); no CreateBudgetAction followed
    expect(h.aws.calls.createBudget).toBe(calls.create + 1);
    expect(h.aws.calls.createFreezeAction ?? 0).toBe(calls.freeze);
  });

  it('arms nothing where no rule applies, and B-2 says none is needed', async () => {
    const done = await h.runToEnd(
      (
        await submit(h, {
          team: 'ledger',
          spec: {
            owner: { team: 'ledger', email: 'ledger@example.com' },
            access: [{ group: 'ledger-developers', permissionSet: 'Developer' }],
          },
        })
      ).id,
    );
    expect(done.status).toBe('READY');
    expect(await h.aws.budgets.listActionsOfBudget(MANAGEMENT_ACCOUNT_ID, `avf-${done.accountId}`)).toEqual(
      [],
    );
    expect(result(done, 'B-2')).toEqual(
      expect.objectContaining({
        status: 'PASS',
        evidence: 'no freeze rule for OU Workloads/NonProd or team ledger: none needed',
      }),
    );
  });

  it('fails B-2 when the freeze action is gone and G-12 when a tag is inactive, and blocks READY', async () => {
    const done = await h.runToEnd((await submit(h)).id);
    h.aws.budgets.actions.clear();
    h.aws.costExplorer.tags.set('Team', 'Inactive');
    const target = { accountId: done.accountId ?? '', spec: done.spec };
    const verification = await h.deps.verifier.verify(target, h.clock.now());
    expect(verification.results.find((r) => r.id === 'B-2')).toEqual(
      expect.objectContaining({
        status: 'FAIL',
        evidence: expect.stringContaining('has no action applying spending-freeze'),
      }),
    );
    expect(verification.results.find((r) => r.id === 'G-12')).toEqual(
      expect.objectContaining({ status: 'FAIL', evidence: 'Team Inactive (run avf bootstrap)' }),
    );
    expect(verification.blocking).toEqual(expect.arrayContaining(['B-2', 'G-12']));
  });

  it('does not hold against an account a tag key AWS has not listed yet (a fresh organisation), and says so', async () => {
    const done = await h.runToEnd((await submit(h)).id);
    h.aws.costExplorer.tags.delete('Owner');
    const target = { accountId: done.accountId ?? '', spec: done.spec };
    const verification = await h.deps.verifier.verify(target, h.clock.now());
    expect(verification.results.find((r) => r.id === 'G-12')).toEqual(
      expect.objectContaining({
        status: 'PASS',
        evidence: expect.stringContaining(
          'not in the billing data yet, activated by the next avf bootstrap once AWS lists them: Owner',
        ),
      }),
    );
    expect(verification.blocking).not.toContain('G-12');
  });
});
