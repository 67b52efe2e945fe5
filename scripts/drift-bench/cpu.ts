import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat (USER_HZ; 100 on Linux). */
const TICKS = 100;

/**
 * CPU seconds (user + system) a process has used so far, read from /proc (Linux); undefined when
 * it cannot be read. CPU time, unlike wall time, hardly changes when others load the machine.
 */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name in parentheses: state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return undefined;
  }
}

/** The moto_server process serving `port`, found by its command line (Linux). */
export function motoPid(port: number): number | undefined {
  try {
    for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => a.endsWith('moto_server')) && args.includes(String(port))) return Number(entry);
    }
  } catch {
    // not Linux, or the process list changed while read: no figure
  }
  return undefined;
}
