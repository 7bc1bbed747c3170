// Whether a process is alive, from /proc where there is one: a SIGKILLed process whose parent died too can stay a
// zombie (a container's init may never reap it), which signal 0 still reaches.
import { readFile } from 'node:fs/promises';

/** 'Z' for a zombie, another state letter for a live process, undefined when there is none. */
export async function processState(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat !== undefined) return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  try {
    process.kill(pid, 0);
    return 'R';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? 'R' : undefined;
  }
}

export async function isAlive(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const state = await processState(pid);
  return state !== undefined && state !== 'Z';
}
