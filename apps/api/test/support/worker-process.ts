// A standalone worker (`npm run worker`'s entry) as a real child process, in its own process group so a test can SIGKILL it.
import { spawnEntry, type EntryProcess } from './child-process.ts';

export interface WorkerProcess extends EntryProcess {
  /** The id it writes into run_shard.worker_id. */
  id: string;
}

/** The worker id in a process's log (a standalone worker's, or the API's in-process one's). */
export const WORKER_READY = /worker (\S+): ready/;

export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const worker = await spawnEntry(new URL('../../src/worker/main.ts', import.meta.url), env, WORKER_READY, 'worker');
  return { ...worker, id: worker.ready[1] };
}
