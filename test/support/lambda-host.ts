import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Lambda's Node.js runtime, the part a bundle sees: a plain `node` process (no tsx, no jest, no
 * node_modules above the task root) that loads `LAMBDA_TASK_ROOT/<file>` once, as a cold start
 * does, and calls its exported handler for each event with a context whose remaining time runs
 * down. Written to a temp dir at run time: it is not part of the bundle, as /var/runtime is not.
 */
const RUNTIME = String.raw`
const loadedNative = [];
const dlopen = process.dlopen;
process.dlopen = function (module, filename, ...rest) {
  loadedNative.push(filename);
  return dlopen.call(this, module, filename, ...rest);
};
const [file, name] = process.env._HANDLER.split('.');
let handlerModule;
try {
  handlerModule = require(require('node:path').join(process.env.LAMBDA_TASK_ROOT, file));
} catch (err) {
  process.send({ kind: 'init-error', message: String(err && err.stack || err) });
  process.exit(1);
}
process.on('message', async (message) => {
  if (message.kind === 'modules') {
    process.send({ kind: 'modules', files: Object.keys(require.cache), native: loadedNative, execArgv: process.execArgv });
    return;
  }
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    awsRequestId: message.id,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
  try {
    const result = await handlerModule[name](message.event, context);
    process.send({ kind: 'result', id: message.id, result });
  } catch (err) {
    process.send({ kind: 'error', id: message.id, message: String(err && err.stack || err) });
  }
});
process.send({ kind: 'ready' });
`;

type Reply =
  | { kind: 'ready' }
  | { kind: 'init-error'; message: string }
  | { kind: 'result'; id: string; result: unknown }
  | { kind: 'error'; id: string; message: string }
  | { kind: 'modules'; files: string[]; native: string[]; execArgv: string[] };

export interface LoadedModules {
  /** Every file in the process's require cache (the bundle should be the only one). */
  files: string[];
  /** Native addons loaded (`.node` files). */
  native: string[];
  execArgv: string[];
}

/** One warm Lambda execution environment running one function's bundle. */
export interface LambdaHost {
  invoke<T = unknown>(event: unknown, timeoutMs: number): Promise<T>;
  modules(): Promise<LoadedModules>;
  /** The process's stdout and stderr so far (the function's log). */
  log(): string;
  stop(): Promise<void>;
}

export async function startLambdaHost(options: {
  taskRoot: string;
  /** The template's `Handler`, e.g. `index.handler`. */
  handler: string;
  functionName: string;
  memoryMb: number;
  /** The function's own environment (from the template) plus the endpoint and credentials. */
  environment: Record<string, string>;
}): Promise<LambdaHost> {
  const runtimeDir = mkdtempSync(join(tmpdir(), 'avf-lambda-runtime-'));
  const runtime = join(runtimeDir, 'runtime.cjs');
  writeFileSync(runtime, RUNTIME);
  let output = '';
  const child: ChildProcess = fork(runtime, [], {
    cwd: options.taskRoot,
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: 'UTC',
      LANG: 'en_US.UTF-8',
      LAMBDA_TASK_ROOT: options.taskRoot,
      LAMBDA_RUNTIME_DIR: runtimeDir,
      _HANDLER: options.handler,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_FUNCTION_NAME: options.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      ...options.environment,
    },
  });
  const append = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const waiting = new Map<string, (reply: Reply) => void>();
  let onModules: ((reply: Reply) => void) | undefined;
  let ids = 0;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the runtime exited (${String(code)}):\n${output}`)));
    child.once('message', (reply: Reply) =>
      reply.kind === 'ready' ? resolve() : reject(new Error(`init failed: ${JSON.stringify(reply)}`)),
    );
  });
  child.on('message', (reply: Reply) => {
    if (reply.kind === 'modules') onModules?.(reply);
    if (reply.kind === 'result' || reply.kind === 'error') waiting.get(reply.id)?.(reply);
  });
  return {
    invoke<T>(event: unknown, timeoutMs: number) {
      const id = `invoke-${++ids}`;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, (reply) => {
          waiting.delete(id);
          if (reply.kind === 'result') resolve(reply.result as T);
          else reject(new Error(`${options.functionName} failed: ${(reply as { message: string }).message}`));
        });
        child.send({ id, event, deadline: Date.now() + timeoutMs });
      });
    },
    modules() {
      return new Promise<LoadedModules>((resolve) => {
        onModules = (reply) => resolve(reply as LoadedModules & Reply);
        child.send({ kind: 'modules' });
      });
    },
    log: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
