// CPU seconds used by process trees, from /proc (Linux): a benchmark's way to say which process a run keeps busy.
import { readdirSync, readFileSync } from 'node:fs';

// NOTE: /proc counts in clock ticks; USER_HZ is 100 on every Linux build we run on (`getconf CLK_TCK`).
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime, plus cutime + cstime (its children that exited and were reaped), in seconds. */
  cpuSeconds: number;
}

function readStat(pid: string): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  const close = text.lastIndexOf(')');
  const fields = text.slice(close + 2).split(' ');
  // fields[0] is field 3 of proc(5): state, ppid, …, utime (14), stime, cutime, cstime (17).
  const ticks = [11, 12, 13, 14].reduce((a, i) => a + Number(fields[i]), 0);
  return { pid: Number(pid), comm: text.slice(text.indexOf('(') + 1, close), ppid: Number(fields[1]), cpuSeconds: ticks / TICKS_PER_SECOND };
}

function processes(): ProcStat[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => readStat(d) ?? []);
}

/**
 * CPU seconds of the process trees under `root` (the process and all its descendants; Postgres backends call setsid(),
 * so process groups would miss them). With `comm`, only the trees of `root`'s children of that name, e.g. the
 * embedded Postgres a process started.
 */
export function treeCpuSeconds(root: number, comm?: string): number {
  const all = processes();
  const children = new Map<number, ProcStat[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const sum = (p: ProcStat): number => p.cpuSeconds + (children.get(p.pid) ?? []).reduce((a, c) => a + sum(c), 0);
  if (comm !== undefined) return (children.get(root) ?? []).filter((c) => c.comm === comm).reduce((a, c) => a + sum(c), 0);
  const self = all.find((p) => p.pid === root);
  return self ? sum(self) : 0;
}

/** CPU seconds all cores of the machine spent busy (not idle or waiting on I/O) since boot, from /proc/stat. */
export function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal …: all but idle (3) and iowait (4), up to steal.
  return ticks.slice(0, 8).reduce((a, t, i) => (i === 3 || i === 4 ? a : a + t), 0) / TICKS_PER_SECOND;
}
