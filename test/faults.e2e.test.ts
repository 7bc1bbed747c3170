// Faults the worker tests (apps/api/test/workers.e2e) don't cover: Postgres restarted mid-run, the API restarted
// with uploads and runs in flight, and shards slower than their job's expiry. Each run ends with evaluate()'s results and every per-sample score stored once.
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EvaluateResult } from '@odin/engine';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import WebSocket from 'ws';
import { data, registerDataset, registerModel, spawnApi, upload, waitForRun, type ApiProcess } from '../apps/api/test/support/api-process.ts';
import { evaluateNpy, tempDir, writeNpy } from '../apps/api/test/support/data.ts';
import { startTestDatabase, type TestDatabase } from '../apps/api/test/support/database.ts';
import { expectEveryScoreOnce, resultsOf, runResults, storedBatches } from '../apps/api/test/support/run-checks.ts';
import { spawnWorker, type WorkerProcess } from '../apps/api/test/support/worker-process.ts';

const MODEL = new URL('../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);
const N = 3000;
/** A set that one worker thread scores in several seconds, longer than half the slow-shard test's job expiry. */
const N_BIG = 10_000;
const BATCH = 16;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Short expiry and maintenance: a shard whose job was lost is retried within about 10 s instead of about a minute.
const common = { ODIN_THREADS: '1', ODIN_SHARD_EXPIRE_SECONDS: '8', ODIN_MAINTENANCE_SECONDS: '2', ODIN_SHARD_SIZE: '512' };

describe.skipIf(process.env.ODIN_TEST_DATABASE_URL)('faults', () => {
  let dir: string;
  let db: TestDatabase;
  let reference: EvaluateResult;
  let modelBytes: Uint8Array;
  const paths: Record<string, string> = {};

  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    [paths.in, paths.out, paths.bigIn, paths.bigOut] = await Promise.all([
      writeNpy(dir, 'fashion-mnist:test', N, 'fashion.npy'),
      writeNpy(dir, 'mnist', N, 'digits.npy'),
      writeNpy(dir, 'fashion-mnist:test', N_BIG, 'fashion-big.npy'),
      writeNpy(dir, 'mnist', N_BIG, 'digits-big.npy'),
    ]);
    modelBytes = await readFile(MODEL);
    reference = await evaluateNpy(modelBytes, paths.in, paths.out, { temperature: 1000, epsilon: 0.0014, batchSize: BATCH, threads: 1 });
  });

  afterAll(async () => {
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Registers the model and both sets on a fresh data folder, and starts a run over them. */
  async function startRun(api: ApiProcess, sets = { in: paths.in, out: paths.out }): Promise<string> {
    const model = await registerModel(api.url, modelBytes, 'demo');
    const [a, b] = [await registerDataset(api.url, await readFile(sets.in), 'in', basename(sets.in)), await registerDataset(api.url, await readFile(sets.out), 'out', basename(sets.out))];
    const { startRun } = await data<{ startRun: { id: string } }>(
      api.url,
      `mutation($m: ID!, $i: ID!, $o: [ID!]!) { startRun(input: { modelId: $m, inDatasetId: $i, outDatasetIds: $o, temperature: 1000, epsilon: 0.0014, batchSize: ${BATCH} }) { id } }`,
      { m: model.id, i: a, o: [b] },
    );
    return startRun.id;
  }

  async function untilStored(sql: () => pg.Client, runId: string, atLeast: number): Promise<number> {
    for (;;) {
      const n = (await storedBatches(sql(), runId)).length;
      if (n >= atLeast) return n;
      await sleep(100);
    }
  }

  async function expectClean(url: string, sql: pg.Client, runId: string, expected = { reference: () => reference, n: N }) {
    expect(await waitForRun(url, runId, 240_000)).toMatchObject({ status: 'SUCCEEDED', progress: 1, error: null });
    expect(await runResults(url, runId)).toEqual(resultsOf(expected.reference()));
    await expectEveryScoreOnce(sql, runId, { n: expected.n, batchSize: BATCH });
  }

  it('finishes a run with the clean results when Postgres restarts mid-run, under the API’s worker and a standalone one', async () => {
    const api = await spawnApi({ ...common, DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'pg-restart') });
    let worker: WorkerProcess | undefined;
    onTestFailed(() => console.log(`API log:\n${api.log().slice(-6000)}\nworker log:\n${worker?.log().slice(-4000)}`));
    let sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    try {
      worker = await spawnWorker({ ...common, DATABASE_URL: db.url, ODIN_API_URL: api.url, ODIN_TOKEN: 'test-token', ODIN_DATA_DIR: join(dir, 'pg-restart-worker') });
      const run = await startRun(api);
      const statuses: string[] = [];
      const updates = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
      const succeeded = new Promise<void>((resolve, reject) =>
        updates.subscribe<{ runUpdated: { status: string } }>(
          { query: 'subscription($id: ID!) { runUpdated(id: $id) { status } }', variables: { id: run } },
          {
            // While Postgres is down an update can come as an error (its run could not be read); the stream goes on.
            next: (m) => {
              const status = m.data?.runUpdated.status;
              if (status) statuses.push(status);
              if (status === 'SUCCEEDED') resolve();
            },
            error: reject,
            complete: () => {},
          },
        ),
      );
      const before = await untilStored(() => sql, run, 20);
      await sql.end();
      await db.restart!();
      sql = new pg.Client({ connectionString: db.url });
      await sql.connect();
      const after = (await storedBatches(sql, run)).length;
      expect(after).toBeGreaterThanOrEqual(before);
      expect(after).toBeLessThan(2 * Math.ceil(N / BATCH));
      await expectClean(api.url, sql, run);
      // Live updates still arrive: the API's LISTEN connection came back, and the subscriber hears the end.
      await succeeded;
      expect(api.log()).toContain('the LISTEN connection is back');
      await updates.dispose();
    } finally {
      await worker?.stop();
      await api.stop();
      await sql.end();
    }
  });

  it('finishes a run and keeps every finished upload when the API is killed with uploads and runs in flight', async () => {
    const env = { ...common, DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'api-restart') };
    let api = await spawnApi(env);
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    try {
      const run = await startRun(api);
      await untilStored(() => sql, run, 20);
      const uploads = async () => (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM upload')).rows[0].n;
      const uploadsBefore = await uploads();
      // An upload cut off by the kill: its body never ends.
      const body = new ReadableStream<Uint8Array>({
        start: (c) => c.enqueue(new Uint8Array(1 << 20)),
      });
      const cut = fetch(`${api.url}/v1/uploads`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body, duplex: 'half' } as RequestInit).then(
        (r) => r.status,
        (e: Error) => e.message,
      );
      await sleep(300);
      const finished = await upload(api.url, await readFile(paths.out), { 'x-filename': 'kept.npy' });
      expect(finished.status).toBe(201);
      await api.kill9();
      expect(typeof (await cut)).toBe('string');
      const tmp = join(env.ODIN_DATA_DIR, 'blobs', 'tmp');
      expect(await readdir(tmp)).toHaveLength(1);

      api = await spawnApi({ ...env, PORT: new URL(api.url).port });
      // The upload that finished is still there and registers; the one cut off left no upload behind.
      const { registerDataset: kept } = await data<{ registerDataset: { id: string; itemCount: number } }>(
        api.url,
        'mutation($u: ID!) { registerDataset(input: { uploadId: $u, name: "kept" }) { id itemCount } }',
        { u: finished.body.id },
      );
      expect(kept.itemCount).toBe(N);
      expect(await uploads()).toBe(uploadsBefore + 1);
      expect(await readdir(tmp)).toEqual([]);
      expect(api.log()).toContain('removed 1 partial upload left by a stopped process');
      await expectClean(api.url, sql, run);
    } finally {
      await api.stop();
      await sql.end();
    }
  });

  it('goes on in a new job when a shard is slower than its job’s expiry, instead of another worker taking it over', async () => {
    const big = await evaluateNpy(modelBytes, paths.bigIn, paths.bigOut, { temperature: 1000, epsilon: 0.0014, batchSize: BATCH, threads: 1 });
    // One shard per set, each several seconds of scoring, and jobs that expire after 8 s: a job scores for 4 s at most.
    const env = { ...common, ODIN_SHARD_SIZE: String(N_BIG), ODIN_SHARD_EXPIRE_SECONDS: '8', DATABASE_URL: db.url };
    const api = await spawnApi({ ...env, ODIN_DATA_DIR: join(dir, 'slow') });
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    let worker: WorkerProcess | undefined;
    try {
      worker = await spawnWorker({ ...env, ODIN_API_URL: api.url, ODIN_TOKEN: 'test-token', ODIN_DATA_DIR: join(dir, 'slow-worker') });
      const run = await startRun(api, { in: paths.bigIn, out: paths.bigOut });
      await expectClean(api.url, sql, run, { reference: () => big, n: N_BIG });
      const logs = api.log() + worker.log();
      expect(logs).toMatch(/goes on in a new job after \d+\.\d s \(jobs expire after 8 s\)/);
      expect(logs).not.toContain('taken over');
    } finally {
      await worker?.stop();
      await api.stop();
      await sql.end();
    }
  });
});
