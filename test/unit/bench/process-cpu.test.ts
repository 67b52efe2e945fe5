import { spawn } from 'node:child_process';
import { cpuSpan, processCpuMs } from '../../../scripts/bench/process-cpu';

describe('process CPU from /proc/<pid>/stat', () => {
  it('reads a busy child process’s CPU time, and nothing for a process that does not exist', async () => {
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 400; while (Date.now() < end);']);
    const span = cpuSpan({ emulator: child.pid, factory: 2 ** 22 + 17 });
    await new Promise((r) => setTimeout(r, 300));
    const used = span.stop();
    expect(used.emulatorMs).toBeGreaterThan(0);
    expect(used.factoryMs).toBeUndefined();
    expect(processCpuMs(undefined)).toBeUndefined();
    await new Promise((r) => child.once('exit', r));
  });
});
