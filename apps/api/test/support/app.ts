// The HTTP app (createApp) in this process on a free loopback port, without worker or LISTEN connection: for tests
// that count SQL statements, swap configurations or call the app's own handles.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { BlobStore } from '../../src/blobs/store.ts';
import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/client.ts';
import { createSchema } from '../../src/graphql/schema.ts';
import { createApp } from '../../src/server.ts';
import type { RunQueue } from '../../src/services.ts';

export interface ServedApp {
  url: string;
  invalidateResponses(): void;
  close(): Promise<void>;
}

/** Blobs go to `dir`/blobs; runs are queued to `enqueue` (default: nowhere). */
export async function serveApp(o: { db: Db; dir: string; config: Config; schema?: GraphQLSchema; enqueue?: RunQueue['enqueue'] }): Promise<ServedApp> {
  const base = { db: o.db, blobs: new BlobStore(join(o.dir, 'blobs')), config: o.config, queue: { enqueue: o.enqueue ?? (async () => {}) } };
  const { app, stop, invalidateResponses } = await createApp(base, o.schema ?? (await createSchema()));
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invalidateResponses,
    close: async () => {
      await new Promise((r) => server.close(r));
      await stop();
    },
  };
}
