// The API's configuration: every environment variable it reads, validated in one place.
import { resolve } from 'node:path';
import { z } from 'zod';
import { repoRoot } from './paths.ts';

const onOff = z.enum(['on', 'off']);
const bytes = z.coerce.number().int().positive();

const schema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  ODIN_DATA_DIR: z.string().min(1).optional(),
  ODIN_WORKER: onOff.default('on'),
  ODIN_BACKEND: z.enum(['cpu', 'cuda']).default('cpu'),
  ODIN_UPLOAD_LIMIT_BYTES: bytes.default(1024 ** 3),
  ODIN_ARCHIVE_MAX_ENTRIES: bytes.default(100_000),
  ODIN_ARCHIVE_MAX_BYTES: bytes.default(8 * 1024 ** 3),
  ODIN_ARCHIVE_MAX_RATIO: bytes.default(200),
  ODIN_THREADS: z.coerce.number().int().positive().optional(),
  ODIN_WORKER_CONCURRENCY: z.coerce.number().int().positive().default(1),
  ODIN_SHARD_SIZE: z.coerce.number().int().positive().default(2048),
  ODIN_SHARD_EXPIRE_SECONDS: z.coerce.number().int().min(5).default(45),
  ODIN_MAINTENANCE_SECONDS: z.coerce.number().int().positive().default(10),
  ODIN_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  ODIN_TOKEN: z.string().min(1).optional(),
  ODIN_DEMO: onOff.default('off'),
});

export interface Config {
  databaseUrl?: string;
  host: string;
  port: number;
  dataDir: string;
  worker: boolean;
  backend: 'CPU' | 'CUDA';
  uploadLimitBytes: number;
  archive: { maxEntries: number; maxTotalBytes: number; maxRatio: number };
  threads?: number;
  /** Shards a worker scores at once. */
  concurrency: number;
  /** Images per shard (rounded to whole batches). */
  shardSize: number;
  /** A shard job's pg-boss expiry: how long a dead worker's shard waits before it is retried. */
  shardExpireSeconds: number;
  /** How often pg-boss looks for expired jobs. */
  maintenanceSeconds: number;
  /** A standalone worker's API, to fetch blobs from; unset: read the store in dataDir directly. */
  apiUrl?: string;
  token?: string;
  /** Set by a standalone worker (its ODIN_BACKEND): the backend it runs every shard on. Unset: each run's own. */
  workerBackend?: 'cpu' | 'cuda';
  /** Seed the demo (model, built-in datasets, one run) into an empty database at start-up. */
  demo: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration from `env`; throws a ConfigError naming each invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blank = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(blank);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    host: c.HOST,
    port: c.PORT,
    dataDir: resolve(c.ODIN_DATA_DIR ?? resolve(repoRoot, '.odin')),
    worker: c.ODIN_WORKER === 'on',
    backend: c.ODIN_BACKEND === 'cuda' ? 'CUDA' : 'CPU',
    uploadLimitBytes: c.ODIN_UPLOAD_LIMIT_BYTES,
    archive: { maxEntries: c.ODIN_ARCHIVE_MAX_ENTRIES, maxTotalBytes: c.ODIN_ARCHIVE_MAX_BYTES, maxRatio: c.ODIN_ARCHIVE_MAX_RATIO },
    threads: c.ODIN_THREADS,
    concurrency: c.ODIN_WORKER_CONCURRENCY,
    shardSize: c.ODIN_SHARD_SIZE,
    shardExpireSeconds: c.ODIN_SHARD_EXPIRE_SECONDS,
    maintenanceSeconds: c.ODIN_MAINTENANCE_SECONDS,
    apiUrl: c.ODIN_API_URL,
    token: c.ODIN_TOKEN,
    demo: c.ODIN_DEMO === 'on',
  };
}
