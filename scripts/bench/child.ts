import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A bench script run in its own process (`node --import tsx FILE`), so what it measures does not
 * share a CPU or a heap with the harness. It reports by writing one JSON object per stdout line.
 */
export interface BenchChild {
  /** The next JSON line the child writes; rejects if it exits first. */
  next<T>(): Promise<T>;
  /** Every JSON line up to the child's exit; rejects if it exits non-zero. */
  rest<T>(): Promise<T[]>;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
  /** The child's process id (to read its CPU time). */
  pid: number | undefined;
}

export function startBenchChild(file: string, args: string[], nodeArgs: string[] = []): BenchChild {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const queue: unknown[] = [];
  const waiting: Array<(line: unknown) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const message: unknown = JSON.parse(line);
    const resolveNext = waiting.shift();
    if (resolveNext) resolveNext(message);
    else queue.push(message);
  });
  // 'close', not 'exit': by then every line the child wrote has been read.
  const exited = new Promise<number>((resolveExit) => child.once('close', (code) => resolveExit(code ?? 1)));
  const failure = (code: number) => new Error(`${file} exited with ${code}:\n${stderr}`);
  return {
    pid: child.pid,
    next<T>() {
      if (queue.length > 0) return Promise.resolve(queue.shift() as T);
      return Promise.race([
        new Promise<T>((resolveNext) => waiting.push((m) => resolveNext(m as T))),
        exited.then((code) => Promise.reject(failure(code))),
      ]);
    },
    async rest<T>() {
      const code = await exited;
      if (code !== 0) throw failure(code);
      return queue.splice(0) as T[];
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** For the child: one JSON line to the harness. */
export function report(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}
