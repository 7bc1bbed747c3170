// Benchmark: GraphQL under load with 10,000 runs in the database. Seeds one real run (the demo model through the API's
// worker) and 9,999 copies of it, then drives the runs(first: 50) query and run(id) with autocannon (50
// connections, 10 s) against the API as a child process with auth on; 3 rounds each, the median reported with the load
// average. Three settings: the response cache as shipped (1 s), the same while workers notify 10 run updates a second
// (each one drops the cached answers, as a busy dashboard sees it), and a second API process without the cache (every
// request executes).
import { loadavg } from 'node:os';
import pg from 'pg';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createDb } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { RUN_UPDATED_CHANNEL } from '../src/graphql/pubsub.ts';
import { TokenService } from '../src/resources/token/token.service.ts';
import { spawnApi, upload } from '../test/support/api-process.ts';
import { tempDir, writeNpy } from '../test/support/data.ts';
import { startTestDatabase } from '../test/support/database.ts';
import { treeCpuSeconds } from './cpu-time.ts';
import { cloneRun } from './seed-runs.ts';

const RUNS = 10_000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** A folder: the API writes its V8 CPU profile there when it stops (open it in Chrome's DevTools). */
const CPU_PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR;
const model = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);

const QUERIES = {
  'runs(first: 50)': {
    query:
      'query { runs(first: 50) { edges { node { id status progress model { name } inDataset { name } results { outDataset { name } baseline { auroc fprAt95Tpr } odin { auroc fprAt95Tpr } } } } } }',
  },
  'run(id)': {
    query:
      'query($id: ID!) { run(id: $id) { id status progress model { name } inDataset { name } results { outDataset { name } baseline { auroc fprAt95Tpr } odin { auroc fprAt95Tpr } } } }',
  },
};

/** Notifications per second in the churn setting. */
const UPDATES_PER_SECOND = 10;

interface Round {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  load: number;
  /** CPU milliseconds per request of the API process and of Postgres: what the shared machine's noise doesn't change. */
  apiCpuMs: number;
  pgCpuMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = await tempDir();
const db = await startTestDatabase();
try {
  await migrate(db.url);
  const prisma = createDb(db.url);
  const { token } = await new TokenService({ db: prisma }).create({ name: 'bench', scopes: ['read', 'write'] });
  await prisma.$disconnect();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const api = await spawnApi({ DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'data'), ODIN_AUTH: 'on', ODIN_THREADS: '2' }, CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : []);
  const gql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`HTTP ${res.status}: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  try {
    console.error('load bench: one real run, then 9,999 copies');
    const [inPath, outPath] = await Promise.all([writeNpy(dir, 'fashion-mnist:test', 500, 'in.npy'), writeNpy(dir, 'mnist', 500, 'out.npy')]);
    const ids = await Promise.all([readFile(model), readFile(inPath), readFile(outPath)].map(async (b) => (await upload(api.url, await b, { authorization: headers.authorization })).body.id!));
    const m = (await gql<{ registerModel: { id: string } }>('mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "demo" }) { id } }', { u: ids[0] })).registerModel.id;
    const reg = 'mutation($u: ID!, $n: String!) { registerDataset(input: { uploadId: $u, name: $n }) { id } }';
    const a = (await gql<{ registerDataset: { id: string } }>(reg, { u: ids[1], n: 'Fashion-MNIST test' })).registerDataset.id;
    const b = (await gql<{ registerDataset: { id: string } }>(reg, { u: ids[2], n: 'MNIST' })).registerDataset.id;
    const { startRun } = await gql<{ startRun: { id: string } }>('mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b] }) { id } }', { m, a, b });
    for (;;) {
      const { run } = await gql<{ run: { status: string; error: string | null } }>('query($id: ID!) { run(id: $id) { status error } }', { id: startRun.id });
      if (run.status === 'SUCCEEDED') break;
      if (run.status !== 'QUEUED' && run.status !== 'RUNNING') throw new Error(`the seed run ended ${run.status}: ${run.error}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await cloneRun(db.url, startRun.id, RUNS - 1);
    const { runs } = await gql<{ runs: { totalCount: number; edges: { node: { results: unknown[] } }[] } }>('{ runs(first: 50) { totalCount edges { node { results { odin { auroc } } } } } }');
    if (runs.totalCount !== RUNS || runs.edges.length !== 50 || runs.edges.some((e) => e.node.results.length !== 1)) throw new Error(`seeded ${runs.totalCount} runs, not ${RUNS} with results`);
    const variables = { id: startRun.id };
    // The exact bodies the load sends answer data, not errors (autocannon counts only HTTP statuses).
    for (const { query } of Object.values(QUERIES)) await gql(query, variables);

    const uncached = await spawnApi({ DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'data'), ODIN_AUTH: 'on', ODIN_WORKER: 'off', ODIN_RESPONSE_CACHE_MS: '0' });
    const notifier = new pg.Client({ connectionString: db.url });
    await notifier.connect();
    const churn = async (during: Promise<unknown>) => {
      let done = false;
      void during.finally(() => (done = true));
      while (!done) {
        await notifier.query('SELECT pg_notify($1, $2)', [RUN_UPDATED_CHANNEL, startRun.id]);
        await new Promise((r) => setTimeout(r, 1000 / UPDATES_PER_SECOND));
      }
    };
    const settings = [
      { name: 'cache (1 s)', target: api, updates: false },
      { name: `cache, ${UPDATES_PER_SECOND} run updates/s`, target: api, updates: true },
      { name: 'no cache', target: uncached, updates: false },
    ];
    const results: Record<string, Round[]> = {};
    try {
      for (let round = 0; round < ROUNDS; round++)
        for (const setting of settings)
          for (const [name, { query }] of Object.entries(QUERIES)) {
            const key = `${name} | ${setting.name}`;
            const load = loadavg()[0]!;
            const cpu = () => [treeCpuSeconds(setting.target.child.pid!), treeCpuSeconds(process.pid, 'postgres')];
            const [api0, pg0] = cpu();
            const load$ = Promise.resolve(autocannon({ url: `${setting.target.url}/graphql`, method: 'POST', headers, body: JSON.stringify({ query, variables }), connections: CONNECTIONS, duration: SECONDS }));
            if (setting.updates) await churn(load$);
            const r = await load$;
            const [api1, pg1] = cpu();
            const perRequest = (s: number) => (s * 1000) / r.requests.total;
            (results[key] ??= []).push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts, load, apiCpuMs: perRequest(api1 - api0), pgCpuMs: perRequest(pg1 - pg0) });
            console.error(
              `  round ${round + 1} ${key}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, CPU per request: API ${perRequest(api1 - api0).toFixed(2)} ms, Postgres ${perRequest(pg1 - pg0).toFixed(2)} ms, load ${load.toFixed(2)}`,
            );
          }
    } finally {
      await notifier.end();
      await uncached.stop();
    }
    console.log(`\nGraphQL under load: ${RUNS.toLocaleString('en')} runs, auth on, autocannon ${CONNECTIONS} connections × ${SECONDS} s, median of ${ROUNDS} rounds`);
    console.log('| query | setting | req/s | p50 ms | p99 ms | non-2xx + errors | API CPU ms per request | Postgres CPU ms per request | load average (1 min) at each round |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const [key, rounds] of Object.entries(results)) {
      const [name, setting] = key.split(' | ');
      const failed = rounds.reduce((s, r) => s + r.non2xx + r.errors, 0);
      console.log(`| \`${name}\` | ${setting} | ${median(rounds.map((r) => r.rps)).toFixed(0)} | ${median(rounds.map((r) => r.p50))} | ${median(rounds.map((r) => r.p99))} | ${failed} | ${median(rounds.map((r) => r.apiCpuMs)).toFixed(2)} | ${median(rounds.map((r) => r.pgCpuMs)).toFixed(2)} | ${rounds.map((r) => r.load.toFixed(2)).join(', ')} |`);
    }
  } finally {
    await api.stop();
  }
} finally {
  await db.stop();
  await rm(dir, { recursive: true, force: true });
}
