// Starts a run worker on a pg-boss instance: in the API process, or standalone (src/worker/main.ts) on any machine that reaches the database.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { nodeRuntime } from '@odin/engine/node';
import pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Base } from '../services.ts';
import { localBlobs, remoteBlobs } from './blob-source.ts';
import { GraphCache } from './graph-cache.ts';
import { RunWorker } from './run-worker.ts';

export interface StartedWorker {
  worker: RunWorker;
  workerId: string;
  /** After pg-boss has stopped: closes the sessions and the pool. */
  close(): Promise<void>;
}

export async function startWorker(base: Base, databaseUrl: string, boss: PgBoss, log: (line: string) => void): Promise<StartedWorker> {
  const { config } = base;
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 + 2 * config.concurrency });
  // An idle client's lost connection: the pool drops it and connects anew on the next query.
  pool.on('error', (e) => log(`worker: an idle database connection closed: ${e.message}`));
  const blobs = config.apiUrl ? remoteBlobs(base.blobs, config.apiUrl, config.token, log) : localBlobs(base.blobs);
  const worker = new RunWorker({
    base,
    pool,
    boss,
    runtime: nodeRuntime,
    blobs,
    graphs: new GraphCache(join(config.dataDir, 'cache', 'odin-graphs'), log),
    workerId,
    threads: config.threads,
    concurrency: config.concurrency,
    backend: config.workerBackend,
    log,
  });
  await worker.start();
  log(`worker ${workerId}: ready, concurrency ${config.concurrency}, blobs ${config.apiUrl ? `from ${config.apiUrl}` : `in ${config.dataDir}`}`);
  return {
    worker,
    workerId,
    close: async () => {
      await worker.close();
      await pool.end();
    },
  };
}

