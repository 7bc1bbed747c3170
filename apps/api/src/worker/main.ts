// Entry point of `npm run worker`: a run worker with no HTTP server, on any machine that reaches the database (see docs/api.md).
import 'reflect-metadata';
import { join } from 'node:path';
import { BlobStore } from '../blobs/store.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createDb } from '../db/client.ts';
import { survivePgBossConnectionLoss } from '../db/connection-errors.ts';
import { migrate } from '../db/migrate.ts';
import { bossQueue, startBoss } from './queue.ts';
import { startWorker } from './start.ts';

survivePgBossConnectionLoss((l) => console.error(`worker: ${l}`));
try {
  const loaded = loadConfig();
  if (!loaded.databaseUrl) throw new ConfigError('Invalid configuration:\n  DATABASE_URL is required for a standalone worker (the API’s Postgres)');
  const databaseUrl = loaded.databaseUrl;
  // Its own ODIN_BACKEND, where set, is the backend this machine runs every shard on.
  const config = { ...loaded, workerBackend: process.env.ODIN_BACKEND ? (loaded.backend === 'CUDA' ? 'cuda' : 'cpu') : undefined } as const;
  await migrate(databaseUrl);
  const db = createDb(databaseUrl);
  const boss = await startBoss(databaseUrl, config);
  // With ODIN_API_URL this folder is only a cache of the API's blobs, datasets and compiled graphs.
  const base = { db, blobs: new BlobStore(join(config.dataDir, 'blobs')), config, queue: bossQueue(boss) };
  const started = await startWorker(base, databaseUrl, boss, (l) => console.log(l));
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.log(`worker: ${signal}, stopping`);
      void (async () => {
        await started.worker.stop();
        await boss.stop({ graceful: true, timeout: 10_000, wait: true });
        await started.close();
        await db.$disconnect();
      })().then(
        () => process.exit(0),
        (e) => {
          console.error(e);
          process.exit(1);
        },
      );
    });
} catch (e) {
  console.error(e instanceof ConfigError ? e.message : e);
  process.exit(1);
}
