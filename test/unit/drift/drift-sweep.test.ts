import { deliverDue } from '../../support/deliveries';
import { CONTROLS } from '../../../src/verify/controls';
import { Verifier } from '../../../src/verify/verifier';
import { withOrganisationReadCache } from '../../../src/verify/organisation-read-cache';
import { Worker } from '../../../src/workflow/worker';
import { driftStatus } from '../../../src/workflow/drift/drift-status';
import { SWEEP_JOB_ID } from '../../../src/workflow/drift/sweep-document';
import { SWEEP_JOB_KIND } from '../../../src/workflow/drift/sweep-kind';
import { crashHolding } from '../../support/job-steps';
import { EXAMPLE_CONFIG, harness, type Harness } from '../workflow/harness';
import { auditor, runSweep, stepSweep, sweepOf, vendAccounts, withDrift } from './drift-harness';

/** Deletes the password policy of an account, as someone with admin rights in it might. */
function dropPasswordPolicy(h: Harness, accountId: string): void {
  delete h.aws.memberAccounts.account(accountId).passwordPolicy;
}

describe('drift sweep', () => {
  it('checks every READY account, records verifications and a finding per FAILed control', async () => {
    const h = await harness();
    const accounts = await vendAccounts(h, 3);
    withDrift(h, { remediate: false, verificationsPerMinute: 60 }, 'avf-events');
    const drifted = accounts[1] ?? '';
    dropPasswordPolicy(h, drifted);
    const before = (await h.store.findByAccountId(drifted))?.lastVerification?.verifiedAt;

    const sweep = await runSweep(h);
    expect(sweep.accountsChecked).toBe(3);
    expect(sweep.accountsFailed).toBe(0);
    expect(sweep.findings).toEqual([
      expect.objectContaining({ accountId: drifted, controlId: 'IAM-4', detectedAt: expect.any(String) }),
    ]);
    expect(sweep.findings[0]?.evidence).toMatch(/password policy/i);
    expect(sweep.findings[0]?.remediated).toBeUndefined();
    expect(sweep.stackSets.map((s) => s.status)).toEqual(
      EXAMPLE_CONFIG.config.stackSets.map(() => 'IN_SYNC'),
    );
    // the verification is recorded on the account, as the vend's verify step records it
    const record = await h.store.findByAccountId(drifted);
    expect(record?.lastVerification?.verifiedAt).not.toBe(before);
    expect(record?.lastVerification?.results.find((r) => r.id === 'IAM-4')?.status).toBe('FAIL');
    expect(record?.controls?.failed).toBeGreaterThan(0);
    // still drifted: nothing was remediated
    expect(h.aws.memberAccounts.account(drifted).passwordPolicy).toBeUndefined();
    // the finding is an event on the account's request, delivered through the outbox
    expect(record?.events?.at(-1)).toMatchObject({
      type: 'Drift Finding',
      detail: { accountId: drifted, controlId: 'IAM-4', sweepId: sweep.id },
    });
    await deliverDue(h.deps, 'w1');
    const published = h.aws.published.filter((e) => e.detailType === 'Drift Finding');
    expect(published).toEqual([
      expect.objectContaining({
        busName: 'avf-events',
        detail: expect.objectContaining({
          accountId: drifted,
          controlId: 'IAM-4',
          sweepId: sweep.id,
          eventId: `${record?.id}:${record?.events?.at(-1)?.seq}`,
        }),
      }),
    ]);
    expect(h.aws.published.map((e) => e.detailType)).toContain('Drift Sweep Finished');
  });

  it('re-runs the ensure of a drifted account setting when remediation is on, and verifies again', async () => {
    const h = await harness();
    const [accountId = ''] = await vendAccounts(h, 1);
    withDrift(h, { remediate: true });
    dropPasswordPolicy(h, accountId);

    const sweep = await runSweep(h);
    expect(sweep.findings).toEqual([
      expect.objectContaining({ accountId, controlId: 'IAM-4', remediated: true }),
    ]);
    expect(h.aws.memberAccounts.account(accountId).passwordPolicy).toBeDefined();
    const verification = (await h.store.findByAccountId(accountId))?.lastVerification;
    expect(verification?.results.find((r) => r.id === 'IAM-4')?.status).toBe('PASS');
    expect(verification?.remediated).toEqual(['password-policy@account']);
  });

  it('records remediated: false with the reason when the ensure fails', async () => {
    const h = await harness();
    const [accountId = ''] = await vendAccounts(h, 1);
    withDrift(h, { remediate: true });
    dropPasswordPolicy(h, accountId);
    h.aws.memberAccounts.unimplemented.add('putPasswordPolicy');
    // on real AWS a failing ensure is an error (on an emulator, a gap)
    const { aws, config, directory } = h.deps;
    h.deps.verifier = new Verifier(CONTROLS, { aws, config, directory }, false);

    const sweep = await runSweep(h);
    expect(sweep.findings).toEqual([
      expect.objectContaining({
        controlId: 'IAM-4',
        remediated: false,
        remediationDetail: expect.any(String),
      }),
    ]);
  });

  it('verifies at most drift.verificationsPerMinute, all workers together', async () => {
    const h = await harness();
    await vendAccounts(h, 4);
    withDrift(h, { verificationsPerMinute: 6 }); // a bucket of one, refilled a little slower than every 10 s
    for (let i = 0; i < 5; i++) {
      await stepSweep(h, 'w1');
      await stepSweep(h, 'w2');
    }
    expect((await sweepOf(h)).accountsChecked).toBe(1);
    h.clock.advance(10_000);
    await Promise.all([stepSweep(h, 'w1'), stepSweep(h, 'w2')]);
    expect((await sweepOf(h)).accountsChecked).toBe(1);
    h.clock.advance(1_000);
    await Promise.all([stepSweep(h, 'w1'), stepSweep(h, 'w2')]);
    expect((await sweepOf(h)).accountsChecked).toBe(2);
  });

  it('resumes at the stored cursor after a crash, once the crashed worker’s lease expires', async () => {
    const h = await harness();
    await vendAccounts(h, 4);
    withDrift(h, { verificationsPerMinute: 60 }); // two accounts a step
    await stepSweep(h, 'w1');
    expect((await sweepOf(h)).accountsChecked).toBe(2);
    // a worker claimed the sweep's job and died: its lease (two minutes) keeps the others off
    await crashHolding(h.deps, SWEEP_JOB_KIND, SWEEP_JOB_ID);
    h.clock.advance(60_000);
    expect(await stepSweep(h, 'w2')).toBe(false); // the lease holds
    h.clock.advance(120_000);
    const sweep = await runSweep(h, 'w2');
    expect(sweep.accountsChecked).toBe(4);
  });

  it('starts the next sweep after drift.sweepIntervalMinutes and keeps the last one in short', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, { sweepIntervalMinutes: 60 });
    const first = await runSweep(h);
    h.clock.advance(30 * 60_000);
    expect(await stepSweep(h, 'w1')).toBe(false);
    expect((await sweepOf(h)).id).toBe(first.id);
    h.clock.advance(31 * 60_000);
    const second = await runSweep(h);
    expect(second.id).not.toBe(first.id);
    const status = await driftStatus(h.deps, auditor);
    expect(status.previous).toEqual(expect.objectContaining({ id: first.id, accountsChecked: 1 }));
    expect(status.nextSweepAt).toBe(new Date(Date.parse(second.startedAt) + 60 * 60_000).toISOString());
  });

  it('records StackSet drift, and an emulator without drift detection without failing the sweep', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    withDrift(h, {}, 'avf-events');
    h.aws.stackSets.drifted.set('avf-baseline', 1);
    const drifted = await runSweep(h);
    expect(drifted.stackSets.find((s) => s.stackSet === 'avf-baseline')).toEqual(
      expect.objectContaining({ status: 'DRIFTED', driftedInstances: 1 }),
    );
    expect(h.aws.published.map((e) => e.detailType)).toContain('StackSet Drift Detected');

    h.aws.stackSets.detectDriftUnsupported = true;
    h.clock.advance(2 * 24 * 60 * 60_000);
    const unsupported = await runSweep(h);
    expect(unsupported.stackSets.map((s) => s.status)).toEqual(
      EXAMPLE_CONFIG.config.stackSets.map(() => 'UNSUPPORTED'),
    );
    expect(unsupported.accountsChecked).toBe(1);
  });

  it('reads the organisation once per step and cache time, not once per account; member accounts each time', async () => {
    const h = await harness();
    const accounts = await vendAccounts(h, 3);
    // the verifier as the composition root builds it: organisation facts shared for a minute
    h.deps.verifier = new Verifier(
      CONTROLS,
      {
        aws: withOrganisationReadCache(h.aws, h.clock, 60_000),
        config: h.deps.config,
        directory: h.deps.directory,
      },
      false,
    );
    withDrift(h, { verificationsPerMinute: 90 }); // three accounts a step
    const before = { ...h.aws.calls };
    const made = (method: string) => (h.aws.calls[method] ?? 0) - (before[method] ?? 0);
    const tagReadsBefore = h.aws.costExplorer.calls['ce:ListCostAllocationTags'] ?? 0;
    const tagReads = () => (h.aws.costExplorer.calls['ce:ListCostAllocationTags'] ?? 0) - tagReadsBefore;

    await stepSweep(h, 'w1');
    expect((await sweepOf(h)).accountsChecked).toBe(3);
    // the root's id is the worker's directory's, known since the vends (a root never changes)
    expect(made('getRoot')).toBe(0);
    expect(made('findTrail')).toBe(1);
    // the payer's cost allocation tags are an organisation fact too
    expect(tagReads()).toBe(1);
    expect(made('listTags')).toBe(accounts.length);
    // a step after the cache time reads the organisation's services again
    const sweep = await runSweep(h);
    expect(sweep.accountsChecked).toBe(3);
    h.clock.advance(2 * 24 * 60 * 60_000);
    await stepSweep(h, 'w1');
    expect(made('findTrail')).toBe(2);
    expect(tagReads()).toBe(2);
    expect(made('listTags')).toBe(2 * accounts.length);
  });

  it('runs beside rollouts in the worker’s tick', async () => {
    const h = await harness();
    await vendAccounts(h, 1);
    const worker = new Worker(h.deps, { id: 'w1' }); // every kind, as `avf worker` runs
    for (let i = 0; i < 5; i++) {
      await worker.tick();
      h.clock.advance(10_000);
    }
    expect((await sweepOf(h)).finishedAt).toBeDefined();
  });
});
