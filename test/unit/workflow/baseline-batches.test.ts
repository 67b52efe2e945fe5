import { readDocument } from '../../../src/workflow/coordination/document';
import { STACKSET_BATCHES } from '../../../src/workflow/coordination/baseline-batch-document';
import { baselineBatches } from '../../../src/workflow/coordination/baseline-batches';
import { EXAMPLE_CONFIG, harness, submit, type Harness } from './harness';

const STACK_SETS = EXAMPLE_CONFIG.config.stackSets.length;

async function runAll(h: Harness, ids: string[], maxTicks = 300): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    const states = await Promise.all(ids.map((id) => h.store.get(id)));
    if (states.every((r) => r?.status === 'READY' || r?.status === 'FAILED')) return;
    await h.worker.tick();
    h.clock.advance(2_000);
  }
  throw new Error('requests did not finish');
}

describe('batched baselines', () => {
  it('has the first member make each check of its batch, and the others (and those waiting for a batch) read the answer a second later, or make it if the first does not come', async () => {
    const h = await harness();
    const batches = baselineBatches(h.deps, EXAMPLE_CONFIG.config.stackSets[0]!);
    const since = h.clock.now().toISOString();
    const member = (name: string, n: number) => ({
      requestId: `req-${name}`,
      accountId: String(n).repeat(12),
      ouId: 'ou-x',
    });
    const [a, b, c] = [member('a', 1), member('b', 2), member('c', 3)];
    const first = await batches.turn(a, since);
    if (first.kind !== 'start') throw new Error(`expected a start, got ${first.kind}`);
    const leadWait = await batches.started(first.batch.id, 'op-1', a.requestId);
    // b and c wait for the running batch to end: they look a second after its check
    const pending = await batches.turn(b, since);
    expect(pending).toMatchObject({ kind: 'pending', lookAgainMs: leadWait! + 1_000 });
    await batches.turn(c, since);

    await batches.ended(first.batch.id, 'SUCCEEDED');
    const second = await batches.turn(b, since);
    if (second.kind !== 'start') throw new Error(`expected a start, got ${second.kind}`);
    expect(second.batch.members.map((m) => m.requestId)).toEqual([b.requestId, c.requestId]);
    const bWait = await batches.started(second.batch.id, 'op-2', b.requestId);
    const cTurn = await batches.turn(c, since);
    expect(cTurn).toMatchObject({ kind: 'wait', lookAgainMs: bWait! + 1_000 });

    // at the check, b (first) makes it; c, a second later, reads it without coming before
    h.clock.advance(bWait!);
    expect((await batches.turn(b, since)).kind).toBe('poll');
    const next = await batches.checked(second.batch.id, b.requestId);
    h.clock.advance(1_000);
    expect(await batches.turn(c, since)).toMatchObject({ kind: 'wait', lookAgainMs: next! });
    // b does not come to the next check (its worker died): c, a second late, makes it
    h.clock.advance(next!);
    expect((await batches.turn(c, since)).kind).toBe('poll');
  });

  it('deploys the accounts of many requests with one CreateStackInstances per StackSet and batch', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 2;
    // One CreateAccount wave of 8: CreateAccount is first checked when it usually ends (a minute),
    // so a second wave would arrive after the batching window and get a batch of its own.
    const worker = { ...EXAMPLE_CONFIG.config.worker, maxConcurrentAccountCreations: 8 };
    h.deps.config = { ...EXAMPLE_CONFIG, config: { ...EXAMPLE_CONFIG.config, worker } };
    const reqs = [];
    for (let i = 0; i < 8; i++) reqs.push(await submit(h));
    await runAll(
      h,
      reqs.map((r) => r.id),
    );
    const states = await Promise.all(reqs.map((r) => h.store.get(r.id)));
    expect(states.map((r) => r?.status)).toEqual(Array(8).fill('READY'));
    // The StackSet waits for the accounts on their way: one batch each.
    expect(h.aws.calls.createStackInstances).toBe(STACK_SETS);
    // The batch's instances were read once when it ended, for all its members; S-1 reads them
    // again for each account (this harness's verifier has no organisation read cache; in
    // production the batch's accounts share one read, test/unit/verify/baseline-control.test.ts)
    // and no account's own instances, all healthy there
    expect(h.aws.calls.listStackInstancesOfOperation).toBe(STACK_SETS + 8 * STACK_SETS);
    expect(h.aws.calls.listStackInstances).toBeUndefined();
    for (const r of states) {
      for (const set of EXAMPLE_CONFIG.config.stackSets) {
        const instances = await h.aws.stackSets.listStackInstances(set.name, r!.accountId);
        expect(instances.map((i) => `${i.region}:${i.status}`).sort()).toEqual([
          'eu-west-1:CURRENT',
          'us-east-1:CURRENT',
        ]);
      }
    }
    // Every member has left its batch: the documents hold nothing more.
    for (const set of EXAMPLE_CONFIG.config.stackSets) {
      const { body } = await readDocument(h.store, STACKSET_BATCHES, set.name);
      expect(body.pending).toEqual([]);
      expect(body.batches).toEqual([]);
    }
  });

  it('holds the first wave for the last accounts being created when they come within one operation time', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 0;
    // Two CreateAccount waves of 5: the second exists a minute after the first, within the 90 s an
    // operation takes. Cutting the first wave's batch at once would queue the second's behind it.
    const reqs = [];
    for (let i = 0; i < 10; i++) reqs.push(await submit(h));
    await runAll(
      h,
      reqs.map((r) => r.id),
    );
    const records = await Promise.all(reqs.map((r) => h.store.get(r.id)));
    expect(records.map((r) => r?.status)).toEqual(Array(10).fill('READY'));
    expect(h.aws.calls.createStackInstances).toBe(STACK_SETS);
  });

  it('does not hold a batch when the accounts still being created come later than one operation time', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 0;
    // three waves of 5: when the first is baselined the last is two CreateAccount durations away
    const reqs = [];
    for (let i = 0; i < 15; i++) reqs.push(await submit(h));
    await runAll(
      h,
      reqs.map((r) => r.id),
    );
    expect(h.aws.calls.createStackInstances).toBeGreaterThan(STACK_SETS);
  });

  it('waits for an announced request no longer than the window', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 0;
    const req = await submit(h);
    // a request that was announced and then vanished (its worker died with it)
    for (const set of EXAMPLE_CONFIG.config.stackSets) await baselineBatches(h.deps, set).expect('req-ghost');
    while ((await h.store.get(req.id))?.phase !== 'baseline') {
      await h.worker.tick();
      h.clock.advance(1_000);
    }
    const joined = h.clock.now().getTime();
    await runAll(h, [req.id], 300);
    const started = (await h.store.get(req.id))!.steps.find((s) => s.name === 'baseline')!;
    expect((await h.store.get(req.id))?.status).toBe('READY');
    const window = EXAMPLE_CONFIG.config.worker.baselineBatching.windowSeconds * 1000;
    expect(h.aws.calls.createStackInstances).toBe(STACK_SETS);
    expect(Date.parse(started.finishedAt!) - joined).toBeGreaterThanOrEqual(window);
    // then one operation, first checked when such operations usually end (90 s, up to 0.5 % late)
    expect(Date.parse(started.finishedAt!) - joined).toBeLessThan(window + 100_000);
  });

  it('judges each account by its own stack instances: one bad account does not fail its batch-mates', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 3;
    const reqs = [];
    for (let i = 0; i < 4; i++) reqs.push(await submit(h));
    // run until every account exists, then make one account's instances fail
    for (let i = 0; i < 50; i++) {
      const states = await Promise.all(reqs.map((r) => h.store.get(r.id)));
      if (states.every((r) => r?.accountId)) break;
      await h.worker.tick();
      h.clock.advance(2_000);
    }
    const bad = (await h.store.get(reqs[2]!.id))!.accountId!;
    h.aws.failStackInstances(bad, 'Resource handler returned message: AccessDenied');
    await runAll(
      h,
      reqs.map((r) => r.id),
    );
    const states = await Promise.all(reqs.map((r) => h.store.get(r.id)));
    expect(states.map((r) => r?.status)).toEqual(['READY', 'READY', 'FAILED', 'READY']);
    expect(states[2]?.error?.message).toMatch(new RegExp(`did not deploy to account ${bad}.*AccessDenied`));
  });

  it('has a member read its own instances when another operation has touched them since its batch', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 3;
    const reqs = [await submit(h), await submit(h)];
    while ((h.aws.calls.createStackInstances ?? 0) < STACK_SETS) {
      await h.worker.tick();
      h.clock.advance(2_000);
    }
    // e.g. a rollout's update: the instance's last operation is no longer the batch's
    const touched = (await h.store.get(reqs[0]!.id))!.accountId!;
    for (const set of h.aws.stackSets.stackSets.values())
      for (const instance of set.instances.values())
        if (instance.account === touched) instance.lastOperationId = 'a-later-operation';
    await runAll(
      h,
      reqs.map((r) => r.id),
    );
    const states = await Promise.all(reqs.map((r) => h.store.get(r.id)));
    expect(states.map((r) => r?.status)).toEqual(['READY', 'READY']);
    // the touched account's own instances, read for its batch judgement and again by its S-1 (the
    // batch operation's listing no longer holds them); the other account's S-1 reads none
    expect(h.aws.calls.listStackInstances).toBe(STACK_SETS + STACK_SETS);
  });

  it('repeats the same OperationId when the worker dies after cutting a batch and before the call', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    h.aws.operationPolls = 1;
    const req = await submit(h);
    while ((await h.store.get(req.id))?.phase !== 'baseline') {
      await h.worker.tick();
      h.clock.advance(2_000);
    }
    // The StackSets API fails once, after the batch (and its OperationId) was persisted.
    h.aws.throttle('createStackInstances', 1);
    await h.worker.tick();
    const { body } = await readDocument(h.store, STACKSET_BATCHES, 'avf-baseline');
    const batchId = body.batches[0]?.id;
    expect(body.batches[0]?.state).toBe('STARTING');
    await runAll(h, [req.id]);
    expect((await h.store.get(req.id))?.status).toBe('READY');
    expect((await h.store.get(req.id))?.handles.stackSetOperations?.['avf-baseline']).toBe(batchId);
  });
});

describe('a StackSet judged deployed while the phase waits for another', () => {
  it('is not looked at again in that run of the phase, whose end clears the mark', async () => {
    const h = await harness();
    h.aws.createAccountPolls = 0;
    const [first, second] = EXAMPLE_CONFIG.config.stackSets;
    expect(second).toBeDefined();
    const reads = new Map<string, number>();
    const getOperation = h.aws.stackSets.getOperation.bind(h.aws.stackSets);
    h.aws.stackSets.getOperation = (stackSetName, operationId) => {
      reads.set(stackSetName, (reads.get(stackSetName) ?? 0) + 1);
      return getOperation(stackSetName, operationId);
    };
    const req = await submit(h);
    // until both operations are started, then the second StackSet's takes three more checks
    for (let i = 0; i < 100 && (h.aws.calls.createStackInstances ?? 0) < 2; i++) {
      await h.worker.tick();
      h.clock.advance(2_000);
    }
    const slow = [...h.aws.stackSets.stackSets.get(second!.name)!.operations.values()][0]!;
    slow.pollsLeft = 3;
    const done = await h.runToEnd(req.id);
    expect(done.status).toBe('READY');
    // the first StackSet's batch was checked once; the phase then waited three more times for the second
    expect(reads.get(first!.name)).toBe(1);
    expect(reads.get(second!.name)).toBe(4);
    expect(done.handles.stackSetsDeployed).toBeUndefined();
    expect(done.steps.find((s) => s.name === 'baseline')?.detail).toContain(first!.name);
  });
});
