import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from '../../../src/local/moto';

const REPO = resolve(__dirname, '../../..');
/** The CLI run by tsx in this very process (`node --import tsx`), so SIGKILL reaches the factory, not a wrapper. */
const AVF_ARGS = ['--import', 'tsx', join(REPO, 'src/cli/main.ts')];

/** `avf serve` (or `avf worker`) as a child process that a harness can SIGKILL and start again. */
export interface FactoryProcess {
  readonly url: string;
  /** The running child's process id (undefined before start). */
  pid(): number | undefined;
  start(): Promise<void>;
  /** SIGKILL: no shutdown hook runs, leases stay held, in-flight calls are cut off. */
  kill(): Promise<void>;
  /** SIGTERM, the clean way. */
  stop(): Promise<void>;
}

export async function factoryProcess(options: {
  command: 'serve' | 'worker';
  /** More CLI arguments, e.g. `--no-worker`. */
  args?: string[];
  env: Record<string, string>;
  port?: number;
}): Promise<FactoryProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let stderr = '';

  const exited = (c: ChildProcess) =>
    new Promise<void>((resolveExit) => {
      if (c.exitCode !== null || c.signalCode !== null) resolveExit();
      else c.once('exit', () => resolveExit());
    });

  async function waitUntilUp(c: ChildProcess): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (c.exitCode !== null) throw new Error(`avf ${options.command} exited early:\n${stderr}`);
      if (options.command === 'worker') return;
      try {
        if ((await fetch(`${url}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`avf ${options.command} did not come up at ${url}:\n${stderr}`);
  }

  return {
    url,
    pid: () => child?.pid,
    async start() {
      stderr = '';
      const c = spawn(process.execPath, [...AVF_ARGS, options.command, ...(options.args ?? [])], {
        cwd: REPO,
        env: { ...process.env, LOG_LEVEL: 'warn', ...options.env, PORT: String(port) },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      c.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
      child = c;
      await waitUntilUp(c);
    },
    async kill() {
      if (!child) return;
      child.kill('SIGKILL');
      await exited(child);
    },
    async stop() {
      if (!child) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(timer);
    },
  };
}
