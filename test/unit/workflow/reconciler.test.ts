import { StaleRecordError } from '../../../src/domain/errors';
import type { RequestRecord } from '../../../src/domain/account-request';
import { MemoryStore } from '../../../src/store/memory-store';
import { Worker } from '../../../src/workflow/worker';
import { retryAccountRequest } from '../../../src/workflow/intake';
import { EXAMPLE_CONFIG, harness, submit, type Harness } from './harness';

const accountsWithEmail = (h: Awaited<ReturnType<typeof harness>>, email: string) =>
  [...h.aws.organizations.accounts.values()].filter((a) => a.email.toLowerCase() === email.toLowerCase());

describe('reconciler: a vend end to end on the in-memory AWS', () => {
  it('takes a request from QUEUED to READY, one step per tick, recording every step', async () => {
    const h = await harness();
    const req = await submit(h);
    const done = await h.runToEnd(req.id);

    expect(done.status).toBe('READY');
    expect(done.error).toBeUndefined();
    expect(done.steps.map((s) => s.status)).toEqual(done.steps.map(() => 'SUCCEEDED'));
    for (const step of done.steps) {
      expect(step.startedAt).toBeDefined();
      expect(step.finishedAt).toBeDefined();
    }
    expect(done.controls).toEqual(expect.objectContaining({ failed: 0 }));
    expect(done.controls?.passed).toBeGreaterThan(0);
    expect(accountsWithEmail(h, req.spec.email)).toHaveLength(1);
    expect(h.aws.calls.startCreateAccount).toBe(1);
    // quarantine attached during the vend and lifted at the end
    expect(h.aws.calls.attachPolicy).toBeGreaterThan(0);
    const policies = await h.aws.organizations.listPoliciesForTarget(
      done.accountId!,
      'SERVICE_CONTROL_POLICY',
    );
    expect(policies.map((p) => p.name)).not.toContain('quarantine');
  });

  it('polls asynchronous AWS states without failing and without repeating the create', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 3;
    h.aws.operationPolls = 2;
    h.aws.assignmentPolls = 2;
    h.aws.assumeRoleFailures = 2;
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    expect(h.aws.calls.startCreateAccount).toBe(1);
    expect(h.aws.calls.createStackInstances).toBe(EXAMPLE_CONFIG.config.stackSets.length);
    expect(h.aws.calls.startAccountAssignment).toBe(1);
    expect(h.aws.calls.getCreateAccountStatus).toBeGreaterThanOrEqual(3);
  });

  it('creates the budget while the StackSets deploy, records it as it happened, and does not repeat it', async () => {
    const h = await harness();
    h.aws.operationPolls = 2;
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    const step = (name: string) => done.steps.find((s) => s.name === name)!;
    expect(step('budget').status).toBe('SUCCEEDED');
    expect(step('budget').detail).toContain('while waiting in baseline');
    expect(Date.parse(step('budget').startedAt!)).toBeGreaterThanOrEqual(
      Date.parse(step('baseline').startedAt!),
    );
    expect(Date.parse(step('budget').finishedAt!)).toBeLessThanOrEqual(
      Date.parse(step('baseline').finishedAt!),
    );
    expect(h.aws.calls.createBudget).toBe(1);
  });

  it('checks CreateAccount first when it usually finishes, then at growing gaps up to a minute', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 40;
    const req = await submit(h);
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      await h.worker.tick();
      const r = (await h.store.get(req.id))!;
      delays.push(Date.parse(r.nextCheckAt) - h.clock.now().getTime());
      h.clock.advance(Date.parse(r.nextCheckAt) - h.clock.now().getTime());
    }
    // The first check a minute after the start (up to 0.5 % late), the next 6 s later (±10 %) …
    expect(delays[0]).toBeGreaterThanOrEqual(60_000);
    expect(delays[0]).toBeLessThanOrEqual(60_300);
    expect(delays[1]).toBeGreaterThanOrEqual(5_400);
    expect(delays[1]).toBeLessThanOrEqual(6_600);
    // … growing (by 1.6, ±10 %) to the cap of a minute.
    for (let i = 2; i < 6; i++) expect(delays[i]!).toBeGreaterThan(delays[i - 1]!);
    for (const d of delays.slice(8)) expect(d).toBeGreaterThanOrEqual(54_000);
    for (const d of delays) expect(d).toBeLessThanOrEqual(66_000);
    // An account that takes four times the usual minute is seen by its 10th check.
    const covered = delays.slice(0, 9).reduce((a, b) => a + b, 0);
    expect(covered).toBeGreaterThanOrEqual(4 * 60_000);
  });

  it('checks CreateAccount first when it usually finishes even after a throttled first call', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 40;
    h.aws.throttle('startCreateAccount', 1);
    const req = await submit(h);
    await h.worker.tick();
    const throttled = (await h.store.get(req.id))!;
    expect(throttled.handles.createAccountRequestId).toBeUndefined();
    h.clock.advance(Date.parse(throttled.nextCheckAt) - h.clock.now().getTime());
    await h.worker.tick();
    const started = (await h.store.get(req.id))!;
    expect(started.handles.createAccountRequestId).toBeDefined();
    expect(Date.parse(started.nextCheckAt) - h.clock.now().getTime()).toBeGreaterThanOrEqual(60_000);
    expect(h.aws.calls.startCreateAccount).toBe(2);
  });

  it('does not claim a request before its nextCheckAt', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 5;
    const req = await submit(h);
    await h.worker.tick();
    const tick = await h.worker.tick();
    expect(tick.claimed).toBe(0);
    expect((await h.store.get(req.id))?.attempts).toBe(1);
  });

  it('treats throttling as transient: the request waits and then succeeds', async () => {
    const h = await harness();
    h.aws.throttle('startCreateAccount', 2);
    h.aws.throttle('createStackInstances', 2);
    h.aws.throttle('createBudget', 3);
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    expect(accountsWithEmail(h, req.spec.email)).toHaveLength(1);
  });

  it('keeps a request QUEUED while the organisation has no free CreateAccount slot', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 100;
    const reqs = [];
    for (let i = 0; i < 6; i++) reqs.push(await submit(h));
    await h.worker.tick();
    const states = await Promise.all(reqs.map((r) => h.store.get(r.id)));
    const started = states.filter((r) => r?.handles.createAccountIntentAt);
    expect(started).toHaveLength(5);
    const queued = states.find((r) => !r?.handles.createAccountIntentAt);
    expect(queued?.status).toBe('QUEUED');
    expect(queued?.steps[0]?.detail).toMatch(/CreateAccount slot/);
  });
});

describe('reconciler: CreateAccount is exactly-once across crashes', () => {
  /**
   * A store whose process dies at the first save that matches `when`: with `landed`, the write
   * reaches the store and the process dies right after it; without, it dies just before it. From
   * then on every write throws, as nothing more leaves a dead process.
   */
  function dyingStore(when: (r: RequestRecord) => boolean, landed: boolean): MemoryStore & { dead: boolean } {
    const store = new MemoryStore() as MemoryStore & { dead: boolean };
    store.dead = false;
    let died = false;
    const save = store.save.bind(store);
    store.save = async (r: RequestRecord) => {
      if (store.dead) throw new Error('process killed');
      if (!died && when(r)) {
        died = true;
        store.dead = true;
        if (landed) await save(r);
        throw new Error('process killed');
      }
      return save(r);
    };
    return store;
  }

  async function crashThenResume(when: (r: RequestRecord) => boolean, landed: boolean, polls = 0) {
    const store = dyingStore(when, landed);
    const h = await harness(store);
    h.aws.createAccountPolls = polls;
    const req = await submit(h);
    await expect(h.worker.tick()).rejects.toThrow('process killed');
    const afterCrash = (await store.get(req.id))!;
    // the process restarts: a new worker, after the dead worker's lease has expired
    store.dead = false;
    h.clock.advance(31_000);
    const restarted = new Worker(h.deps, { id: 'w2', leaseMs: 30_000 });
    let done: RequestRecord | undefined;
    for (let i = 0; i < 100 && done?.status !== 'READY' && done?.status !== 'FAILED'; i++) {
      await restarted.tick();
      h.clock.advance(60_000);
      done = await store.get(req.id);
    }
    return { h, req, afterCrash, done: done! };
  }

  it('crash after the intent is persisted but before CreateAccount is called: creates once on resume', async () => {
    const { h, req, afterCrash, done } = await crashThenResume(
      (r) => r.handles.createAccountIntentAt !== undefined,
      true,
    );
    expect(afterCrash.handles.createAccountIntentAt).toBeDefined();
    expect(afterCrash.handles.createAccountRequestId).toBeUndefined();
    expect(h.aws.calls.startCreateAccount).toBe(1); // called only after the restart
    expect(done.status).toBe('READY');
    expect(accountsWithEmail(h, req.spec.email)).toHaveLength(1);
    expect(h.aws.calls.findAccountByEmail).toBeGreaterThanOrEqual(1);
  });

  it('crash after CreateAccount returned but before its request id was persisted: adopts, never re-creates', async () => {
    const { h, req, afterCrash, done } = await crashThenResume(
      (r) => r.handles.createAccountRequestId !== undefined,
      false,
    );
    expect(afterCrash.handles.createAccountIntentAt).toBeDefined();
    expect(afterCrash.handles.createAccountRequestId).toBeUndefined();
    expect(done.status).toBe('READY');
    expect(h.aws.calls.startCreateAccount).toBe(1);
    expect(accountsWithEmail(h, req.spec.email)).toHaveLength(1);
    expect(done.steps[0]?.detail).toMatch(/adopted/);
  });

  it('same crash while the create is still IN_PROGRESS: resumes polling the same request', async () => {
    const { h, req, done } = await crashThenResume(
      (r) => r.handles.createAccountRequestId !== undefined,
      false,
      3,
    );
    expect(done.status).toBe('READY');
    expect(h.aws.calls.startCreateAccount).toBe(1);
    expect(accountsWithEmail(h, req.spec.email)).toHaveLength(1);
    expect(h.aws.calls.listCreateAccountStatusesByName).toBeGreaterThanOrEqual(1);
  });

  it('a writer that lost the lease does not overwrite the winner', async () => {
    const h = await harness();
    const req = await submit(h);
    const [claimed] = await h.store.claimDue({ now: h.clock.now(), owner: 'a', leaseMs: 1, limit: 1 });
    h.clock.advance(10);
    const [stolen] = await h.store.claimDue({ now: h.clock.now(), owner: 'b', leaseMs: 30_000, limit: 1 });
    expect(stolen?.id).toBe(req.id);
    await expect(h.store.save(claimed!)).rejects.toBeInstanceOf(StaleRecordError);
  });
});

/**
 * Runs a request until its baseline, makes the account's stack instances fail, runs it to its end
 * (FAILED), then fixes the cause and retries it (POST …/retry) to its end again.
 */
async function failBaselineThenRetry(h: Harness): Promise<{ failed: RequestRecord; retried: RequestRecord }> {
  h.aws.createAccountPolls = 0;
  const req = await submit(h);
  while ((await h.store.get(req.id))?.phase !== 'baseline') {
    await h.worker.tick();
    h.clock.advance(60_000);
  }
  const accountId = (await h.store.get(req.id))!.accountId!;
  h.aws.failStackInstances(accountId, 'Resource handler returned message: AccessDenied');
  const failed = await h.runToEnd(req.id);
  h.aws.stackSets.failingAccounts.delete(accountId);
  await retryAccountRequest(h.deps, { role: 'platform', name: 'ops' }, req.id);
  return { failed, retried: await h.runToEnd(req.id) };
}

describe('reconciler: failures end FAILED with a reason a person can act on', () => {
  it.each([
    ['ACCOUNT_LIMIT_EXCEEDED', 'CREATE_ACCOUNT_ACCOUNT_LIMIT_EXCEEDED', /quota/],
    ['INVALID_EMAIL', 'CREATE_ACCOUNT_INVALID_EMAIL', /valid email/],
    ['MISSING_PAYMENT_INSTRUMENT', 'CREATE_ACCOUNT_MISSING_PAYMENT_INSTRUMENT', /payment instrument/],
  ])('CreateAccount FAILED with %s', async (reason, code, message) => {
    const h = await harness();
    h.aws.failNextCreateAccount(reason);
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('FAILED');
    expect(done.error).toEqual(expect.objectContaining({ code, phase: 'create-account' }));
    expect(done.error?.message).toMatch(message);
    expect(done.steps[0]?.status).toBe('FAILED');
  });

  it('INTERNAL_FAILURE is retried with a new CreateAccount', async () => {
    const h = await harness();
    h.aws.failNextCreateAccount('INTERNAL_FAILURE');
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    expect(h.aws.calls.startCreateAccount).toBe(2);
    expect(accountsWithEmail(h, req.spec.email)).toHaveLength(1);
  });

  it('EMAIL_ALREADY_EXISTS for an account outside the organisation fails with EMAIL_ALREADY_EXISTS', async () => {
    const h = await harness();
    h.aws.failNextCreateAccount('EMAIL_ALREADY_EXISTS');
    const req = await submit(h);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('FAILED');
    expect(done.error?.code).toBe('EMAIL_ALREADY_EXISTS');
    expect(done.error?.message).toMatch(/globally unique/);
  });

  it('a failed stack instance fails the request with the instance reason, and a retry redeploys', async () => {
    const h = await harness();
    const { failed, retried } = await failBaselineThenRetry(h);
    expect(failed.status).toBe('FAILED');
    expect(failed.error?.code).toBe('STACK_INSTANCE_FAILED');
    expect(failed.error?.message).toMatch(/AccessDenied/);
    expect(failed.error?.message).toMatch(/retry/);
    expect(retried.error?.message ?? retried.status).toBe('READY');
    expect(h.aws.calls.startCreateAccount).toBe(1);
    // both StackSets failed in the account, so both are deployed again, each in a new batch
    expect(failed.error?.message).toMatch(
      /avf-baseline v1 did not deploy.*\| avf-config-rules v1 did not deploy/,
    );
    expect(h.aws.calls.createStackInstances).toBe(2 * EXAMPLE_CONFIG.config.stackSets.length);
    expect(retried.handles.stackSetOperations?.['avf-baseline']).toMatch(/-batch-2$/);
  });

  it('without batching, a retry starts a new operation (a new generation) for each failed StackSet', async () => {
    const h = await harness();
    h.deps.config = {
      ...EXAMPLE_CONFIG,
      config: {
        ...EXAMPLE_CONFIG.config,
        worker: {
          ...EXAMPLE_CONFIG.config.worker,
          baselineBatching: { ...EXAMPLE_CONFIG.config.worker.baselineBatching, enabled: false },
        },
      },
    };
    const { failed, retried } = await failBaselineThenRetry(h);
    expect(failed.error?.code).toBe('STACK_INSTANCE_FAILED');
    expect(retried.status).toBe('READY');
    expect(failed.handles.baselineGeneration).toBe(2);
    expect(retried.handles.stackSetOperations?.['avf-baseline']).toMatch(/-g2$/);
  });

  it('a phase that runs past its deadline fails with PHASE_TIMEOUT instead of hanging', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 1_000_000;
    const req = await submit(h);
    await h.worker.tick();
    h.clock.advance(2 * 60 * 60_000);
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('FAILED');
    expect(done.error?.code).toBe('PHASE_TIMEOUT');
  });

  it('takes a phase deadline from the config when one is set', async () => {
    const h = await harness();
    const config = structuredClone(h.deps.config);
    config.config.worker.phaseDeadlineMinutes = { 'create-account': 5 };
    h.deps.config = config;
    h.aws.createAccountPolls = 1_000_000;
    const req = await submit(h);
    await h.worker.tick();
    h.clock.advance(6 * 60_000);
    const done = await h.runToEnd(req.id);
    expect(done.error).toEqual(expect.objectContaining({ code: 'PHASE_TIMEOUT', phase: 'create-account' }));
    expect(done.error?.message).toMatch(/within 5 minutes/);
  });
});
