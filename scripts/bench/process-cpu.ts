import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** The kernel's clock ticks a second (the unit of /proc/<pid>/stat's CPU times). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const text = execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim();
    ticksPerSecond = Number(text) > 0 ? Number(text) : 100;
  }
  return ticksPerSecond;
}

/**
 * CPU milliseconds (user + system) a process has used so far, from /proc/<pid>/stat; undefined
 * when there is no such process or no /proc (not Linux).
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return ((utime + stime) * 1000) / clockTicks();
}

/** CPU used by the processes of a run between `start()` and `stop()`, with the wall time between. */
export interface CpuSpan {
  /** moto_server's CPU (ms). */
  emulatorMs: number | undefined;
  /** The factory's CPU (`avf serve`, ms). */
  factoryMs: number | undefined;
  /** This process's CPU (the behaviour-layer proxy and the polling client, ms). */
  benchMs: number;
  wallMs: number;
}

export function cpuSpan(pids: { emulator: number | undefined; factory: number | undefined }): {
  stop(): CpuSpan;
} {
  const started = Date.now();
  const own = process.cpuUsage();
  const emulator = processCpuMs(pids.emulator);
  const factory = processCpuMs(pids.factory);
  const delta = (before: number | undefined, pid: number | undefined) => {
    const after = processCpuMs(pid);
    return before === undefined || after === undefined ? undefined : after - before;
  };
  return {
    stop: () => {
      const used = process.cpuUsage(own);
      return {
        emulatorMs: delta(emulator, pids.emulator),
        factoryMs: delta(factory, pids.factory),
        benchMs: (used.user + used.system) / 1000,
        wallMs: Date.now() - started,
      };
    },
  };
}
