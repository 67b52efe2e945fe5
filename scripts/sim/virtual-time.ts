import { Heap } from 'heap-js';
import type { Clock } from '../../src/workflow/clock';

interface Timer {
  at: number;
  seq: number;
  wake: () => void;
}

const byTimeThenOrder = (a: Timer, b: Timer) => a.at - b.at || a.seq - b.seq;

/** Lets every promise continuation that is ready run: setImmediate fires once the microtask queue is empty. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A virtual clock for discrete-event simulation. Simulated waits (`sleep`) are timers on a heap;
 * `run(work)` lets the real code run until nothing but timers is left, then jumps the clock to the
 * earliest timer and wakes it, so hours of AWS time pass in the CPU time the code itself takes.
 * Deterministic: timers due at the same instant wake in the order they were set.
 */
export class VirtualTime implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new Heap<Timer>(byTimeThenOrder);
  /** Timers woken so far (how much simulated waiting there was). */
  wakes = 0;

  constructor(start = Date.parse('2027-01-04T09:00:00Z')) {
    this.t = start;
  }

  now(): Date {
    return new Date(this.t);
  }

  ms(): number {
    return this.t;
  }

  /** Resolves once `ms` of virtual time have passed. */
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, wake }));
  }

  /** Runs `work` to its end, advancing virtual time whenever the code waits only on timers. */
  async run<T>(work: Promise<T>): Promise<T> {
    let finished = false;
    const watched = work.finally(() => {
      finished = true;
    });
    // The rejection is delivered by `await watched` below.
    watched.catch(() => undefined);
    while (!finished) {
      await settle();
      if (finished) break;
      const next = this.timers.pop();
      if (!next) throw new Error('simulation stalled: the code waits on something that is not a timer');
      this.t = Math.max(this.t, next.at);
      this.wakes++;
      next.wake();
      // Wake every timer due at the same instant before letting the code run again.
      while (this.timers.peek()?.at === next.at) {
        this.wakes++;
        this.timers.pop()?.wake();
      }
    }
    return watched;
  }
}
