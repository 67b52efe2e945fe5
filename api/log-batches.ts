import type { DestinationStream } from 'pino';

/** What the batches are handed to: a pino destination (SonicBoom) that can also write at exit. */
export interface BatchTarget {
  write(text: string): unknown;
  flushSync(): void;
}

/** A batch is handed over once it holds this many characters (some 50 request log lines). */
export const BATCH_CHARS = 16 * 1024;

/**
 * Gathers log lines and hands them to `target` as one string of at least BATCH_CHARS characters,
 * at least every `everyMs` and at exit, instead of one write a line: each write to a SonicBoom
 * measures and appends to its pending buffer, and each of its writes to the file is a system call
 * handed to a thread. What is gathered when the process is killed outright is lost, as what the
 * SonicBoom holds is.
 */
export function batchedLines(
  target: BatchTarget,
  everyMs: number,
): DestinationStream & { flushSync(): void } {
  let lines: string[] = [];
  let chars = 0;
  const handOver = (): void => {
    if (lines.length === 0) return;
    const text = lines.join('');
    lines = [];
    chars = 0;
    target.write(text);
  };
  setInterval(handOver, everyMs).unref();
  const flushSync = (): void => {
    handOver();
    target.flushSync();
  };
  // Before the target's own exit handlers (pino's end the SonicBoom once the loop is empty): what
  // is gathered reaches it first.
  process.prependListener('beforeExit', handOver);
  process.prependOnceListener('exit', flushSync);
  return {
    write(line: string): void {
      lines.push(line);
      chars += line.length;
      if (chars >= BATCH_CHARS) handOver();
    },
    flushSync,
  };
}
