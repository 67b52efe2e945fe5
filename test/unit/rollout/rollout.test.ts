import { baselineVersionOf } from '../../../src/workflow/rollout/baseline-version';
import { ROLLOUT_JOB, type Rollout } from '../../../src/workflow/rollout/rollout-document';
import { ROLLOUT_JOB_KIND } from '../../../src/workflow/rollout/rollout-kind';
import {
  haltRollout,
  planRollout,
  resumeRollout,
  startRollout,
} from '../../../src/workflow/rollout/rollouts';
import { planWaves } from '../../../src/workflow/rollout/wave-plan';
import { crashHolding } from '../../support/job-steps';
import { EXAMPLE_CONFIG, harness, submit, vendAccounts } from '../workflow/harness';
import { advanceRollouts, platform, runRollout, version2 } from './rollout-harness';

describe('baseline versions', () => {
  it('is stable for the same config and changes with a StackSet parameter', () => {
    const v1 = baselineVersionOf(EXAMPLE_CONFIG).version;
    expect(baselineVersionOf({ ...EXAMPLE_CONFIG }).version).toBe(v1);
    expect(baselineVersionOf(version2()).version).not.toBe(v1);
  });

  it('changes with a hardening setting but not with a team or budget', () => {
    const v1 = baselineVersionOf(EXAMPLE_CONFIG).version;
    const hardening = structuredClone(EXAMPLE_CONFIG.config);
    hardening.hardening.passwordPolicy.minimumLength = 16;
    expect(baselineVersionOf({ ...EXAMPLE_CONFIG, config: hardening }).version).not.toBe(v1);
    const budget = structuredClone(EXAMPLE_CONFIG.config);
    budget.budgets.defaultMonthlyLimitUsd = 999;
    expect(baselineVersionOf({ ...EXAMPLE_CONFIG, config: budget }).version).toBe(v1);
  });

  it('changes with an SCP document', () => {
    const v1 = baselineVersionOf(EXAMPLE_CONFIG);
    const config = structuredClone(EXAMPLE_CONFIG.config);
    const policy = config.policies['sandbox-guardrails'];
    if (!policy) throw new Error('no policy');
    policy.file = 'stacksets/scp/private-network.json';
    const changed = baselineVersionOf({ ...EXAMPLE_CONFIG, config });
    expect(changed.version).not.toBe(v1.version);
    expect(changed.parts.policies).not.toEqual(v1.parts.policies);
  });

  it('is recorded on an account when its vend reaches READY', async () => {
    const h = await harness();
    const r = await submit(h);
    const done = await h.runToEnd(r.id);
    expect(done.baseline?.version).toBe(baselineVersionOf(EXAMPLE_CONFIG).version);
  });
});

describe('wave planning', () => {
  const accounts = Array.from({ length: 10 }, (_, i) => ({ accountId: `${i}`, requestId: `r${i}`, ou: 'X' }));

  it('puts the canary first, then brings the total to each percentage', () => {
    const waves = planWaves(accounts, { canary: 1, percentages: [25, 50, 100] });
    expect(waves.map((w) => [w.label, w.accounts.length])).toEqual([
      ['canary', 1],
      ['25%', 2],
      ['50%', 2],
      ['100%', 5],
    ]);
  });

  it('drops empty waves', () => {
    expect(
      planWaves(accounts.slice(0, 2), { canary: 1, percentages: [10, 100] }).map((w) => w.label),
    ).toEqual(['canary', '100%']);
  });
});

describe('rollouts', () => {
  it('rolls version 2 out to several accounts in waves', async () => {
    const h = await harness();
    const accounts = await vendAccounts(h, 4);
    h.deps.config = version2();
    const to = baselineVersionOf(h.deps.config).version;

    const before = h.aws.mutatingCalls();
    const documents = (await h.store.listDocuments('rollout', { limit: 10 })).items.length;
    const plan = await planRollout(h.deps, platform, { waves: { canary: 1, percentages: [50, 100] } });
    expect(plan.waves.map((w) => w.accounts.length)).toEqual([1, 1, 2]);
    expect(plan.changes[0]?.diff?.stackSets[0]?.changes).toContain('version 1 → 2');
    expect(plan.changes[0]?.diff?.stackSets[0]?.changes).toContain(
      'parameter SecurityEmail: security@example.com → secops@example.com',
    );
    expect(h.aws.mutatingCalls()).toBe(before);
    expect((await h.store.listDocuments('rollout', { limit: 10 })).items).toHaveLength(documents);

    // judging an account takes a second here: a wave ends once its last account is judged
    const judgedAt = new Map<string, number>();
    const verify = h.deps.verifier.verify.bind(h.deps.verifier);
    jest.spyOn(h.deps.verifier, 'verify').mockImplementation(async (target, at) => {
      h.clock.advance(1_000);
      judgedAt.set(target.accountId, h.clock.now().getTime());
      return verify(target, at);
    });
    const started = await startRollout(h.deps, platform, { waves: { canary: 1, percentages: [50, 100] } });
    const rollout = await runRollout(h, started.id);
    expect(rollout.status).toBe('SUCCEEDED');
    for (const wave of rollout.waves) {
      const lastJudged = Math.max(...wave.accounts.map((a) => judgedAt.get(a.accountId) ?? Infinity));
      expect(Date.parse(wave.finishedAt ?? '')).toBeGreaterThanOrEqual(lastJudged);
    }
    expect(rollout.waves.map((w) => [w.label, w.status, w.succeeded, w.failed])).toEqual([
      ['canary', 'SUCCEEDED', 1, 0],
      ['50%', 'SUCCEEDED', 1, 0],
      ['100%', 'SUCCEEDED', 2, 0],
    ]);
    expect(h.aws.calls.updateStackSet).toBe(1);
    // one UpdateStackInstances per wave and StackSet
    expect(h.aws.calls.updateStackInstances).toBe(3 * EXAMPLE_CONFIG.config.stackSets.length);
    for (const accountId of accounts) {
      const record = await h.store.findByAccountId(accountId);
      expect(record?.baseline?.version).toBe(to);
      const instances = await h.aws.stackSets.listStackInstances('avf-baseline', accountId);
      expect(instances.every((i) => i.status === 'CURRENT')).toBe(true);
    }
    expect(h.aws.stackSets.stackSets.get('avf-baseline')?.parameters.SecurityEmail).toBe(
      'secops@example.com',
    );
  });

  it('halts when a wave fails above the threshold, and resumes', async () => {
    const h = await harness();
    await vendAccounts(h, 3);
    h.deps.config = version2();
    const plan = await planRollout(h.deps, platform, { waves: { canary: 1, percentages: [100] } });
    const canary = plan.waves[0]?.accounts[0] ?? '';
    h.aws.failStackInstances(canary, 'Resource handler returned message: boom');
    const started = await startRollout(h.deps, platform, { waves: { canary: 1, percentages: [100] } });
    const halted = await runRollout(h, started.id);
    expect(halted.status).toBe('HALTED');
    expect(halted.haltReason).toMatch(/wave 1 \(canary\): 1 of 1 account\(s\) failed/);
    expect(halted.waves[0]?.results[canary]?.reasons.join()).toMatch(/boom/);
    expect(halted.waves[1]?.status).toBe('PENDING');

    await resumeRollout(h.deps, platform, started.id);
    const finished = await runRollout(h, started.id);
    expect(finished.status).toBe('SUCCEEDED');
    expect(finished.waves[1]?.succeeded).toBe(2);
    expect((await h.store.findByAccountId(canary))?.baseline?.version).not.toBe(finished.toVersion);
  });

  it('stops on halt and refuses a second running rollout', async () => {
    const h = await harness();
    await vendAccounts(h, 2);
    h.deps.config = version2();
    const started = await startRollout(h.deps, platform, {});
    await expect(startRollout(h.deps, platform, {})).rejects.toMatchObject({ code: 'ROLLOUT_RUNNING' });
    await haltRollout(h.deps, platform, started.id);
    expect(await advanceRollouts(h, 'w1')).toBe(false);
    // the halt made the job due: it saw HALTED and ended, at once
    expect((await h.store.jobs.getJob(ROLLOUT_JOB, started.id))?.ended?.outcome).toBe('done');
    await expect(haltRollout(h.deps, platform, started.id)).rejects.toMatchObject({
      code: 'ROLLOUT_NOT_RUNNING',
    });
  });

  it('repeats a step after a crash without starting a second operation', async () => {
    const h = await harness();
    await vendAccounts(h, 2);
    h.deps.config = version2();
    h.aws.operationPolls = 3;
    const started = await startRollout(h.deps, platform, { waves: { canary: 0, percentages: [100] } });
    await advanceRollouts(h, 'w1'); // decide the UpdateStackSets
    await advanceRollouts(h, 'w1'); // start it
    // a crashed worker held the job's lease (and had not recorded that the update started): a
    // second worker waits for the lease to expire, then repeats the step
    await crashHolding(h.deps, ROLLOUT_JOB_KIND, started.id);
    const doc = await h.store.getDocument('rollout', started.id);
    const body = { ...(doc?.body as Rollout) };
    if (body.stackSetUpdates?.[0]) delete body.stackSetUpdates[0].status;
    await h.store.putDocument('rollout', started.id, body, doc?.version ?? 0, h.clock.now());
    expect(await advanceRollouts(h, 'w2')).toBe(false); // the crashed worker's lease holds
    h.clock.advance(120_000);
    expect(await advanceRollouts(h, 'w2')).toBe(true); // lease of a crashed worker expired
    expect((await runRollout(h, started.id)).status).toBe('SUCCEEDED');
    // UpdateStackSet was sent twice with one OperationId: AWS (and the fake) keep one operation
    expect(h.aws.calls.updateStackSet).toBe(2);
    const operations = [...(h.aws.stackSets.stackSets.get('avf-baseline')?.operations.keys() ?? [])];
    expect(operations.filter((id) => id.includes('-update-'))).toHaveLength(1);
    expect(operations.filter((id) => id.includes('-w1-'))).toHaveLength(1);
  });
});
