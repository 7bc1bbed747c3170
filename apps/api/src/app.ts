// Starts the whole API: database (embedded or DATABASE_URL), migrations, pg-boss, the in-process worker and the HTTP server.
import 'reflect-metadata';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { BlobStore } from './blobs/store.ts';
import { checkExposure, type Config } from './config.ts';
import { createDb } from './db/client.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.ts';
import { migrate } from './db/migrate.ts';
import { listenForRunUpdates } from './graphql/pubsub.ts';
import { createSchema } from './graphql/schema.ts';
import { serveSubscriptions } from './graphql/subscriptions.ts';
import { seedDemo } from './seed/demo.ts';
import { createServices } from './services.ts';
import { createApp } from './server.ts';
import { bossQueue, startBoss } from './worker/queue.ts';
import { startWorker } from './worker/start.ts';

export interface RunningApi {
  url: string;
  port: number;
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startApi(config: Config, log: (line: string) => void = (l) => console.log(l)): Promise<RunningApi> {
  checkExposure(config);
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'));
    log(`api: embedded Postgres in ${join(config.dataDir, 'postgres')}`);
  }
  try {
    return await startOn(config, config.databaseUrl ?? embedded!.url, embedded, log);
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
}

async function startOn(config: Config, databaseUrl: string, embedded: EmbeddedDatabase | undefined, log: (line: string) => void): Promise<RunningApi> {
  const applied = await migrate(databaseUrl);
  if (applied.length) log(`api: applied migrations ${applied.join(', ')}`);
  const db = createDb(databaseUrl);
  const boss = await startBoss(databaseUrl, config);
  const base = { db, blobs: new BlobStore(join(config.dataDir, 'blobs')), config, queue: bossQueue(boss) };
  const abandoned = await base.blobs.removeAbandonedUploads();
  if (abandoned) log(`api: removed ${abandoned} partial upload${abandoned === 1 ? '' : 's'} left by a stopped process`);
  const worker = config.worker ? await startWorker(base, databaseUrl, boss, log) : undefined;
  if (config.demo) await seedDemo(createServices(base), log);
  const schema = await createSchema();
  const { app, stop: stopApollo, invalidateResponses } = await createApp(base, schema);
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const stopListening = await listenForRunUpdates(databaseUrl, log, { onChange: invalidateResponses });
  const subscriptions = serveSubscriptions(server, schema, base, { limits: config.graphql, onWrite: invalidateResponses });
  const port = (server.address() as { port: number }).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log(`api: auth ${config.auth ? 'on: every request needs a bearer token' : 'off (loopback only)'}`);
  log(`api: listening on ${url}/graphql${worker ? ' with an in-process worker' : ''}`);
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    databaseUrl,
    stop: () =>
      (stopping ??= (async () => {
        await worker?.worker.stop();
        await subscriptions.close();
        await stopListening();
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
        await stopApollo();
        await boss.stop({ graceful: true, timeout: 10_000, wait: true });
        await worker?.close();
        await db.$disconnect();
        await embedded?.stop();
      })()),
  };
}
