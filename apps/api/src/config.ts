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
  ODIN_AUTH: onOff.default('off'),
  ODIN_CORS_ORIGINS: z.string().regex(/^\s*(https?:\/\/[^\s,/]+\s*(,\s*https?:\/\/[^\s,/]+\s*)*)?$/, 'must be origins like https://a.example,http://b.example:3000, comma-separated').default(''),
  ODIN_GRAPHQL_BODY_LIMIT_BYTES: bytes.default(1024 ** 2),
  ODIN_GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(15),
  ODIN_GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(20_000),
  ODIN_GRAPHQL_MAX_BATCH: z.coerce.number().int().positive().default(10),
  ODIN_RESPONSE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
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
  /** Every request needs a bearer token with the right scope; required off loopback. */
  auth: boolean;
  /** Browser origins other than the API's own that may call it (CORS); none by default. */
  corsOrigins: string[];
  graphql: GraphQLLimits;
  /** How long a query's answer may serve identical queries (graphql/response-cache.ts); 0: never. */
  responseCacheMs: number;
}

/** Limits on what one GraphQL request may ask for. */
export interface GraphQLLimits {
  bodyLimitBytes: number;
  maxDepth: number;
  /** Estimated fields resolved, list sizes multiplied (graphql/limits.ts). */
  maxCost: number;
  /** Operations in one batched (JSON array) request. */
  maxBatch: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** An address only this machine reaches: 127.0.0.0/8, ::1 or localhost. */
export const isLoopback = (host: string) => /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\]|::ffff:127(\.\d{1,3}){3})$/i.test(host);

/** Refuses to serve other machines without authentication. */
export function checkExposure(config: Pick<Config, 'host' | 'auth'>): void {
  if (!config.auth && !isLoopback(config.host))
    throw new ConfigError(
      `Refusing to start: HOST=${config.host} lets other machines reach the API, and ODIN_AUTH is off. Set ODIN_AUTH=on (and make a token with \`npm run token -- create\`), or listen on 127.0.0.1.`,
    );
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
    auth: c.ODIN_AUTH === 'on',
    corsOrigins: c.ODIN_CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    graphql: { bodyLimitBytes: c.ODIN_GRAPHQL_BODY_LIMIT_BYTES, maxDepth: c.ODIN_GRAPHQL_MAX_DEPTH, maxCost: c.ODIN_GRAPHQL_MAX_COST, maxBatch: c.ODIN_GRAPHQL_MAX_BATCH },
    responseCacheMs: c.ODIN_RESPONSE_CACHE_MS,
  };
}
