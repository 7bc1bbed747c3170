// The queues on pg-boss: 'run' (plan a run's next stage or finish it) and 'run-shard' (score one shard). Every job is idempotent.
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Config } from '../config.ts';
import type { RunQueue } from '../services.ts';

export const RUN_QUEUE = 'run';
export const SHARD_QUEUE = 'run-shard';

export interface RunJob {
  runId: string;
}

export interface ShardJob {
  runId: string;
  shardId: string;
}

type Timing = Pick<Config, 'shardExpireSeconds' | 'maintenanceSeconds'>;

/** A send inside the caller's transaction (pg-boss's `db` option), so a job exists exactly when the rows it is about do. */
const inTransaction = (client: Pick<pg.ClientBase, 'query'>) => ({ executeSql: (text: string, values?: unknown[]) => client.query(text, values) });

export async function startBoss(url: string, timing: Timing): Promise<PgBoss> {
  // Maintenance is what notices a dead worker's expired job and retries it: every few seconds, not pg-boss's default 2 min.
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', maintenanceIntervalSeconds: timing.maintenanceSeconds });
  boss.on('error', (e) => console.error('pg-boss:', e.message));
  await boss.start();
  await boss.createQueue(RUN_QUEUE);
  await boss.createQueue(SHARD_QUEUE);
  return boss;
}

/**
 * A shard's job. pg-boss 10 has no heartbeat: a SIGKILLed worker's job stays active until it expires, then the next
 * maintenance retries it. Shards are sized to take well under the expiry; one that outlives it is claimed again by
 * the retry, and the old worker loses the shard at its next write.
 */
export async function sendShard(boss: PgBoss, job: ShardJob, timing: Timing, client: Pick<pg.ClientBase, 'query'>): Promise<void> {
  await boss.send(SHARD_QUEUE, job, { retryLimit: 20, retryDelay: 1, expireInSeconds: timing.shardExpireSeconds, db: inTransaction(client) });
}

export function bossQueue(boss: PgBoss): RunQueue {
  return {
    async enqueue(runId, client) {
      // Planning and the final metrics read stored scores only; a few minutes is plenty, and bounds the wait after a crash.
      await boss.send(RUN_QUEUE, { runId } satisfies RunJob, { retryLimit: 10, retryDelay: 2, expireInSeconds: 300, ...(client ? { db: inTransaction(client) } : {}) });
    },
  };
}
