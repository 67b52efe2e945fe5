/** Time, injected so the reconciler can be tested with a fake clock. */
export interface Clock {
  now(): Date;
  /**
   * Resolves once `ms` have passed on this clock (the simulator's virtual clock passes its own).
   * Absent on a clock that cannot wait (a fixed test clock): work that would renew something on
   * a timer then renews nothing.
   */
  sleep?(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  // unref'd: a pending renewal never keeps a process (a CLI command, a Lambda) alive
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
};
