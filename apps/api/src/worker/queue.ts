// The run queue on pg-boss: one job per run; jobs are idempotent, since a run is claimed in the database before any work.
import PgBoss from 'pg-boss';
import type { RunQueue } from '../services.ts';

export const RUN_QUEUE = 'run';

export interface RunJob {
  runId: string;
}

export async function startBoss(url: string): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', maintenanceIntervalSeconds: 30 });
  boss.on('error', (e) => console.error('pg-boss:', e.message));
  await boss.start();
  await boss.createQueue(RUN_QUEUE);
  return boss;
}

export function bossQueue(boss: PgBoss): RunQueue {
  return {
    async enqueue(runId) {
      // A run can take hours; a dead worker's run is taken over through its heartbeat (see run-worker.ts), not by job expiry.
      await boss.send(RUN_QUEUE, { runId } satisfies RunJob, { retryLimit: 3, retryDelay: 5, expireInSeconds: 6 * 3600 });
    },
  };
}
