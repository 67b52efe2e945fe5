import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A running moto_server, the local AWS emulator. */
export interface LocalAws {
  endpoint: string;
  port: number;
  /** moto_server's process id (its CPU time is in /proc/<pid>/stat). */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Binds `port` on loopback and releases it at once: the port bound (the OS's choice for 0). */
function probe(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not get a free port'));
      });
    });
  });
}

/** A free TCP port on loopback: `preferred` if it is free, else one the OS picks. */
export async function freePort(preferred?: number): Promise<number> {
  if (preferred !== undefined) {
    const port = await probe(preferred).catch(() => undefined);
    if (port !== undefined) return port;
  }
  return probe(0);
}

async function waitUntilUp(endpoint: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const started = Date.now();
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  while (Date.now() - started < deadlineMs) {
    if (exited !== null)
      throw new Error(`moto_server exited with code ${String(exited)} before it was ready`);
    try {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer at ${endpoint} within ${deadlineMs} ms`);
}

/**
 * Starts `moto_server` on a free loopback port and waits until it answers. The emulator is
 * reset and seeded so generated ids repeat from run to run.
 */
export async function startMoto(
  options: { port?: number; seed?: number; timeoutMs?: number } = {},
): Promise<LocalAws> {
  const port = options.port ?? (await freePort());
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'false' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilUp(endpoint, child, options.timeoutMs ?? 30_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${stderr}`);
  }
  if (options.seed !== undefined)
    await fetch(`${endpoint}/moto-api/seed?a=${options.seed}`, { method: 'POST' });
  return {
    endpoint,
    port,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Wipes every moto backend (the organisation too). Re-assume roles afterwards. */
export async function resetMoto(endpoint: string): Promise<void> {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
}
