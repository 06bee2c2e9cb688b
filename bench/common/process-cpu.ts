/** CPU time of a process from /proc/<pid>/stat (utime + stime), for the benches' "where did the CPU go". */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every Linux the benches run on). */
const USER_HZ = 100;

/** CPU seconds the process has used so far (user + system), or null if it is gone. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : null;
  } catch {
    return null;
  }
}

/** CPU seconds of several processes together (missing ones count as 0). */
export function totalCpuSeconds(pids: ReadonlyArray<number | undefined>): number {
  return pids.reduce<number>((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
}
