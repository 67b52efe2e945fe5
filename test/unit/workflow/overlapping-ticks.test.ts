import type { JobKind } from '../../../src/workflow/engine/kind';
import type { WorkflowDeps } from '../../../src/workflow/step';
import { Worker } from '../../../src/workflow/worker';
import { tickUntilStopped } from '../../../src/workflow/worker-loop';

/** A record of the test kind: due or not, and the steps it has had. */
interface Item {
  id: string;
  due: boolean;
  steps: number;
}

/** A step the test ends by hand (or fails), per record and step number. */
class Steps {
  private readonly gates = new Map<string, { end(): void; fail(e: Error): void }>();
  readonly started: string[] = [];

  run(item: Item): Promise<void> {
    const key = `${item.id}#${item.steps + 1}`;
    this.started.push(key);
    return new Promise<void>((end, fail) => this.gates.set(key, { end, fail }));
  }

  end(key: string): void {
    this.gate(key).end();
  }

  fail(key: string, e: Error): void {
    this.gate(key).fail(e);
  }

  private gate(key: string) {
    const gate = this.gates.get(key);
    if (!gate) throw new Error(`step ${key} has not started`);
    return gate;
  }
}

/** A kind over items in memory: a claim takes the due ones, a step makes its item due again. */
function itemsKind(items: Item[], steps: Steps): JobKind<Item> {
  return {
    name: 'items',
    concurrency: () => 10,
    leaseMs: () => 60_000,
    claim: (_deps, { limit, excludeIds }) => {
      const due = items.filter((i) => i.due && !excludeIds?.includes(i.id)).slice(0, limit);
      for (const i of due) i.due = false;
      return Promise.resolve(due.map((i) => ({ ...i })));
    },
    advance: async (_deps, leased) => {
      await steps.run(leased);
      const item = items.find((i) => i.id === leased.id)!;
      item.steps += 1;
      item.due = item.steps < 3;
      return { ...item };
    },
    idOf: (item) => item.id,
  };
}

const deps = { clock: { now: () => new Date() } } as WorkflowDeps;

/** Lets every promise continuation that is ready run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('overlapping ticks', () => {
  it('take up a record whose step ended while a slower step claimed with it still runs', async () => {
    const steps = new Steps();
    const items: Item[] = [
      { id: 'fast', due: true, steps: 0 },
      { id: 'slow', due: true, steps: 0 },
    ];
    const worker = new Worker(deps, { id: 'w', kinds: [itemsKind(items, steps)] });

    const first = await worker.tick({ overlap: true });
    // started, not waited for; it claimed less than it may, so nothing more is due
    expect(first.jobs.items).toBe(0);
    expect(first.busy).toBe(false);
    expect(steps.started).toEqual(['fast#1', 'slow#1']);

    steps.end('fast#1');
    await worker.oneEnds();
    const second = await worker.tick({ overlap: true });
    // the ended step is reported, and its record's next step is under way beside the slow one
    expect(second.jobs.items).toBe(1);
    expect(steps.started).toEqual(['fast#1', 'slow#1', 'fast#2']);

    steps.end('slow#1');
    steps.end('fast#2');
    const last = await worker.drain();
    expect(last.jobs.items).toBe(2);
    expect(worker.oneEnds()).toBeUndefined();
  });

  it('never claim again a record whose step still runs, though it is due again (its lease ran out)', async () => {
    const steps = new Steps();
    const items: Item[] = [{ id: 'slow', due: true, steps: 0 }];
    const worker = new Worker(deps, { id: 'w', kinds: [itemsKind(items, steps)] });
    await worker.tick({ overlap: true });
    items[0]!.due = true;
    await worker.tick({ overlap: true });
    expect(steps.started).toEqual(['slow#1']);
    steps.end('slow#1');
    await worker.drain();
  });

  it('waits for every step claimed with it when not overlapping', async () => {
    const steps = new Steps();
    const items: Item[] = [
      { id: 'fast', due: true, steps: 0 },
      { id: 'slow', due: true, steps: 0 },
    ];
    const worker = new Worker(deps, { id: 'w', kinds: [itemsKind(items, steps)] });
    let ticked = false;
    const tick = worker.tick().then((r) => {
      ticked = true;
      return r;
    });
    await settle();
    steps.end('fast#1');
    await settle();
    expect(ticked).toBe(false);
    steps.end('slow#1');
    expect((await tick).jobs.items).toBe(2);
  });

  it('report a step that threw to the loop, which goes on', async () => {
    const steps = new Steps();
    const items: Item[] = [{ id: 'a', due: true, steps: 0 }];
    const worker = new Worker(deps, { id: 'w', kinds: [itemsKind(items, steps)] });
    const errors: unknown[] = [];
    let stop = false;
    const loop = tickUntilStopped(worker, {
      idleMs: 1,
      stopped: () => stop,
      onError: (e) => errors.push(e),
      sleep: () => settle(),
    });
    while (!steps.started.includes('a#1')) await settle();
    steps.fail('a#1', new Error('AWS said no'));
    while (errors.length === 0) await settle();
    expect(errors).toEqual([new Error('AWS said no')]);
    stop = true;
    await loop;
  });

  it('let the loop stop only once every step has ended, and report those that ended last', async () => {
    const steps = new Steps();
    const items: Item[] = [{ id: 'a', due: true, steps: 0 }];
    const worker = new Worker(deps, { id: 'w', kinds: [itemsKind(items, steps)] });
    const reported: number[] = [];
    let stop = false;
    let stopped = false;
    const loop = tickUntilStopped(worker, {
      idleMs: 1,
      stopped: () => stop,
      onTick: (r) => reported.push(r.jobs.items ?? 0),
      sleep: () => settle(),
    }).then(() => (stopped = true));
    while (!steps.started.includes('a#1')) await settle();
    stop = true;
    await settle();
    expect(stopped).toBe(false);
    steps.end('a#1');
    await loop;
    expect(reported.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('claim only for the kinds whose steps ended, and for every kind once an idle pause has passed', async () => {
    const steps = new Steps();
    const items: Item[] = [{ id: 'a', due: true, steps: 0 }];
    let otherDue = false;
    const otherClaims: boolean[] = [];
    const other: JobKind<Item> = {
      name: 'other',
      concurrency: () => 1,
      leaseMs: () => 60_000,
      claim: () => {
        otherClaims.push(otherDue);
        return Promise.resolve([]);
      },
      advance: (_deps, leased) => Promise.resolve(leased),
    };
    const worker = new Worker(deps, { id: 'w', kinds: [itemsKind(items, steps), other] });
    // pauses the test ends by hand
    const pauses: Array<() => void> = [];
    let stop = false;
    const loop = tickUntilStopped(worker, {
      idleMs: 500,
      stopped: () => stop,
      sleep: () => new Promise<void>((wake) => pauses.push(wake)),
    });
    while (!steps.started.includes('a#1')) await settle();
    expect(otherClaims).toEqual([false]);
    otherDue = true;
    steps.end('a#1');
    while (!steps.started.includes('a#2')) await settle();
    // woken by an items step: the other kind is not looked at
    expect(otherClaims).toEqual([false]);
    // an idle pause passes while the steps keep ending: the next tick looks at every kind
    for (const wake of pauses.splice(0)) wake();
    await settle();
    steps.end('a#2');
    while (!steps.started.includes('a#3')) await settle();
    expect(otherClaims).toEqual([false, true]);
    stop = true;
    steps.end('a#3');
    for (const wake of pauses.splice(0)) wake();
    await loop;
  });
});
