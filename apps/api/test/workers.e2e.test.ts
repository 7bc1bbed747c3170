// Worker at scale, with real processes and signals: standalone workers share a run's shards, a SIGKILLed worker's shard
// is resumed by another, cancel stops every worker within a batch, and a graphql-ws subscriber follows a run to the end.
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EvaluateResult } from '@odin/engine';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { data, registerDataset, registerModel, spawnApi, waitForRun, type ApiProcess } from './support/api-process.ts';
import { evaluateNpy, tempDir, writeNpy } from './support/data.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';
import { expectEveryScoreOnce, resultsOf, runResults, settledBatches, storedBatches, type StoredBatch } from './support/run-checks.ts';
import { spawnWorker, WORKER_READY, type WorkerProcess } from './support/worker-process.ts';

const MODEL = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);
const N = 1000;
/** The cancel and subscription runs take long enough (tens of seconds) to cancel mid-shard and to see progress on the way. */
const N_BIG = 10_000;
const BATCH = 16;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('workers at scale', () => {
  let dir: string;
  let db: TestDatabase;
  let sql: pg.Client;
  let api: ApiProcess;
  let reference: EvaluateResult;
  let modelSha: string;
  const ids: Record<string, string> = {};
  const workers: WorkerProcess[] = [];
  // Short expiry and maintenance: a dead worker's shard is retried within about 10 s instead of about a minute.
  const common = { ODIN_THREADS: '1', ODIN_SHARD_EXPIRE_SECONDS: '8', ODIN_MAINTENANCE_SECONDS: '2' };
  const remote = (name: string, extra: Record<string, string> = {}) =>
    spawnWorker({ ...common, DATABASE_URL: db.url, ODIN_API_URL: api.url, ODIN_TOKEN: 'test-token', ODIN_DATA_DIR: join(dir, name), ...extra }).then((w) => (workers.push(w), w));

  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    const [inPath, outPath, bigIn, bigOut] = await Promise.all([
      writeNpy(dir, 'fashion-mnist:test', N, 'fashion.npy'),
      writeNpy(dir, 'mnist', N, 'digits.npy'),
      writeNpy(dir, 'fashion-mnist:test', N_BIG, 'fashion-big.npy'),
      writeNpy(dir, 'mnist', N_BIG, 'digits-big.npy'),
    ]);
    // The API itself runs no worker: every shard below is scored by a standalone worker process.
    api = await spawnApi({ ...common, DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'api'), ODIN_WORKER: 'off' });
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    const modelBytes = await readFile(MODEL);
    const model = await registerModel(api.url, modelBytes, 'demo');
    ids.model = model.id;
    modelSha = model.sha256;
    const sets = { in: inPath, out: outPath, bigIn, bigOut };
    for (const [key, path] of Object.entries(sets)) ids[key] = await registerDataset(api.url, await readFile(path), key, basename(path));
    reference = await evaluateNpy(modelBytes, inPath, outPath, { temperature: 1000, epsilon: 0.0014, batchSize: BATCH, threads: 1 });
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await api?.stop();
    await sql?.end();
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const startRun = async (sets: 'small' | 'big' = 'small') =>
    (
      await data<{ startRun: { id: string } }>(
        api.url,
        `mutation($m: ID!, $i: ID!, $o: [ID!]!) { startRun(input: { modelId: $m, inDatasetId: $i, outDatasetIds: $o, temperature: 1000, epsilon: 0.0014, batchSize: ${BATCH} }) { id } }`,
        sets === 'small' ? { m: ids.model, i: ids.in, o: [ids.out] } : { m: ids.model, i: ids.bigIn, o: [ids.bigOut] },
      )
    ).startRun.id;
  const results = (id: string) => runResults(api.url, id);
  const expected = () => resultsOf(reference);
  const batches = (runId: string) => storedBatches(sql, runId);
  const shards = async (runId: string) =>
    (await sql.query<{ id: string; status: string; worker_id: string | null; job: string; start: number; stop: number }>('SELECT id, status, worker_id, job, start, stop FROM run_shard WHERE run_id = $1 ORDER BY job, start', [runId])).rows;
  const batchesIn = (rows: StoredBatch[], s: { job: string; start: number; stop: number }) => rows.filter((b) => b.job === s.job && b.start >= s.start && b.start < s.stop);
  const expectComplete = (runId: string, n = N) => expectEveryScoreOnce(sql, runId, { n, batchSize: BATCH });

  it('shares a run between two standalone workers and the API’s in-process worker, with the single-process result; a rerun reuses the cached graph', async () => {
    const env = { ODIN_SHARD_SIZE: '64' };
    // A second API process on the same database and store, with its in-process worker on: it reads the store directly.
    const [r1, r2, withWorker] = await Promise.all([remote('r1', env), remote('r2', env), spawnApi({ ...common, ...env, DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'api') })]);
    try {
      const local = WORKER_READY.exec(withWorker.log())![1];
      const run = await startRun();
      expect(await waitForRun(api.url, run)).toMatchObject({ status: 'SUCCEEDED', progress: 1, error: null });
      expect(await results(run)).toEqual(expected());
      await expectComplete(run);
      const done = await shards(run);
      expect(done).toHaveLength(2 * Math.ceil(N / 64));
      expect(done.every((s) => s.status === 'DONE')).toBe(true);
      const by = new Set(done.map((s) => s.worker_id));
      console.log(`shards per worker: ${[r1.id, r2.id, local].map((w) => done.filter((s) => s.worker_id === w).length).join(', ')} (r1, r2, the API's)`);
      expect(by).toEqual(new Set([r1.id, r2.id, local]));
      // The standalone workers fetched the blobs by hash into their own folders; the API's worker read its store.
      for (const w of ['r1', 'r2']) expect(existsSync(join(dir, w, 'blobs', 'sha256', modelSha.slice(0, 2), modelSha))).toBe(true);
      for (const w of [r1, r2]) expect(w.log()).toContain(`fetched blob ${modelSha}`);
      expect(withWorker.log()).not.toContain('fetched blob');

      const { rerun } = await data<{ rerun: { id: string } }>(api.url, 'mutation($id: ID!) { rerun(id: $id) { id } }', { id: run });
      expect(await waitForRun(api.url, rerun.id)).toMatchObject({ status: 'SUCCEEDED' });
      expect(await results(rerun.id)).toEqual(expected());
      // One compilation per machine folder, however many shards and runs used the graph.
      for (const w of [r1, r2, withWorker]) expect(w.log().match(/compiled the ODIN graph/g)).toHaveLength(1);
      for (const w of ['r1', 'r2', 'api']) expect((await readdir(join(dir, w, 'cache', 'odin-graphs'))).filter((f) => f.endsWith('.onnx'))).toHaveLength(1);
    } finally {
      await Promise.all([r1.stop(), r2.stop(), withWorker.stop()]);
    }
  });

  it('resumes a SIGKILLed worker’s shard on another worker, scoring no stored batch again and losing none', async () => {
    const env = { ODIN_SHARD_SIZE: '1024' };
    const a = await remote('a', env);
    const run = await startRun();
    const killed = await until('a shard half scored', async () => {
      const rows = await batches(run);
      const s = (await shards(run)).find((x) => x.status === 'RUNNING' && x.worker_id === a.id);
      return s && batchesIn(rows, s).length >= 10 && s;
    });
    await a.kill9();
    const killedAt = Date.now();
    const before = await settledBatches(sql, run);
    const storedInShard = batchesIn(before, killed).length;
    expect(storedInShard).toBeLessThan(Math.ceil(N / BATCH));

    const b = await remote('b', { ...env, ODIN_WORKER_CONCURRENCY: '2' });
    const retried = await until('the killed shard to move on', async () => batchesIn(await batches(run), killed).length > storedInShard && Date.now(), 90_000);
    console.log(`retry latency after kill -9: ${((retried - killedAt) / 1000).toFixed(1)} s (shard expiry 8 s, maintenance every 2 s)`);
    expect(await waitForRun(api.url, run)).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(b.log()).toContain(`shard ${killed.id} resumes from ${storedInShard} stored batch windows`);
    const after = await expectComplete(run);
    // The retry scored exactly what the killed worker had not stored.
    const storedImages = batchesIn(before, killed).reduce((sum, r) => sum + r.n, 0);
    expect(b.log()).toContain(`shard ${killed.id} done, ${killed.stop - killed.start - storedImages} images scored by this claim`);
    // The batches stored before the kill are the same rows, untouched.
    expect(after.filter((r) => before.some((x) => x.id === r.id))).toEqual(before);
    expect(await results(run)).toEqual(expected());
    await b.stop();
  });

  it('lets only the latest claim write a shard: a frozen worker (SIGSTOP) outlives its job, another takes the shard over, and the first stops at its next write', async () => {
    // The first worker plans the run, so its shard jobs expire after 5 s; the second reuses the warm folder of the test before.
    const env = { ODIN_SHARD_SIZE: '1024', ODIN_SHARD_EXPIRE_SECONDS: '5' };
    const first = await remote('d1', env);
    const run = await startRun();
    const shard = await until('a shard half scored', async () => {
      const s = (await shards(run)).find((x) => x.status === 'RUNNING' && x.worker_id === first.id);
      return s && batchesIn(await batches(run), s).length >= 10 && s;
    });
    first.signal('SIGSTOP');
    try {
      await sleep(300); // a write sent just before the freeze still commits
      const stored = batchesIn(await batches(run), shard).length;
      const second = await remote('b', env);
      const resumed = await until('the second worker to take the shard over', async () => new RegExp(`shard ${shard.id} resumes from (\\d+) stored`).exec(second.log()) ?? undefined, 90_000);
      expect(Number(resumed[1])).toBe(stored);
      expect((await shards(run)).find((s) => s.id === shard.id)!.worker_id).toBe(second.id);
      // The first wakes up still scoring the shard with its old lease: its next write (or report) finds the lease gone.
      first.signal('SIGCONT');
      await until('the first worker to give the shard up', async () => first.log().includes(`shard ${shard.id} stopped`), 30_000);
      expect(await waitForRun(api.url, run)).toMatchObject({ status: 'SUCCEEDED', error: null });
      await expectComplete(run);
      expect(await results(run)).toEqual(expected());
      await Promise.all([first.stop(), second.stop()]);
    } finally {
      first.signal('SIGCONT');
    }
  });

  let cancelled: string | undefined;
  const RUN_VIEW = 'id status model { id } inDataset { id } outDatasets { id } batchSize backend settings { temperature epsilon search { temperatures epsilons validationCount } }';
  type RunView = { id: string; status: string; model: { id: string }; inDataset: { id: string }; outDatasets: { id: string }[]; batchSize: number; backend: string; settings: unknown };
  const runView = async (id: string) => (await data<{ run: RunView }>(api.url, `query($id: ID!) { run(id: $id) { ${RUN_VIEW} } }`, { id })).run;

  it('cancels mid-shard on two workers: each stops within one batch and the run ends CANCELLED with its scores kept', async () => {
    // 10,000 + 10,000 images in shards of 4096: six shards, one at a time on each of two workers.
    const env = { ODIN_SHARD_SIZE: '4096' };
    const pair = await Promise.all([remote('c1', env), remote('c2', env)]);
    const run = await startRun('big');
    const running = await until('both workers scoring a shard', async () => {
      const rows = await batches(run);
      const s = (await shards(run)).filter((x) => x.status === 'RUNNING');
      // At least three batches in, and no more than half: a shard near its end (the 1,808-image last one) could finish
      // before the cancel lands, and a finished shard logs "done", not "stopped".
      const midway = (x: (typeof s)[number]) => batchesIn(rows, x).length >= 3 && batchesIn(rows, x).length * BATCH * 2 <= x.stop - x.start;
      return s.length === 2 && new Set(s.map((x) => x.worker_id)).size === 2 && s.every(midway) && s;
    }, 180_000).catch(async (e) => {
      console.log(JSON.stringify(await shards(run)), pair.map((w) => w.log()).join('\n----\n'));
      throw e;
    });
    await data(api.url, 'mutation($id: ID!) { cancelRun(id: $id) { id } }', { id: run });
    const cancelledAt = Date.now();
    const [atCancel, shardsAtCancel] = [await batches(run), await shards(run)];
    const workerOf = (s: (typeof running)[number]) => pair.find((w) => w.id === s.worker_id)!;
    await until('both workers to stop', async () => running.every((s) => workerOf(s).log().includes(`shard ${s.id} stopped`)), 30_000).catch((e) => {
      console.log(pair.map((w) => w.log()).join('\n----\n'));
      throw e;
    });
    console.log(`both workers stopped ${Date.now() - cancelledAt} ms after the cancel`);
    await sleep(2500);
    const after = await batches(run);
    // At most the batch whose write was already under way when the cancel committed.
    for (const s of running) expect(batchesIn(after, s).length - batchesIn(atCancel, s).length).toBeLessThanOrEqual(1);
    expect((await runView(run)).status).toBe('CANCELLED');
    expect(await results(run)).toEqual([]);
    expect(after.length).toBeGreaterThanOrEqual(6);
    expect(after.reduce((a, r) => a + r.n, 0)).toBeLessThan(2 * N_BIG);
    // The shards not started by then stay unclaimed: their jobs found the run cancelled.
    const unclaimed = shardsAtCancel.filter((s) => s.worker_id === null).map((s) => s.id);
    expect(unclaimed.length).toBeGreaterThan(0);
    expect((await shards(run)).filter((s) => s.worker_id === null).map((s) => s.id)).toEqual(unclaimed);
    cancelled = run;
  });

  it('reruns the cancelled run as a new run with its settings, which a graphql-ws subscriber follows to SUCCEEDED about once a second', async () => {
    if (!cancelled) throw new Error('needs the cancelled run of the test before');
    const keptBatches = await batches(cancelled);
    const client = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket });
    type Update = { status: string; progress: number; imagesPerSecond: number | null; etaSeconds: number | null };
    const events: (Update & { at: number })[] = [];
    let run: string | undefined;
    try {
      const { rerun } = await data<{ rerun: RunView }>(api.url, `mutation($id: ID!) { rerun(id: $id) { ${RUN_VIEW} } }`, { id: cancelled });
      run = rerun.id;
      const { id: _old, status: _was, ...settings } = await runView(cancelled);
      expect(rerun.id).not.toBe(cancelled);
      expect(rerun).toMatchObject({ ...settings, id: run });
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ runUpdated: Update }>(
          { query: 'subscription($id: ID!) { runUpdated(id: $id) { status progress imagesPerSecond etaSeconds } }', variables: { id: run } },
          {
            next: ({ data: d, errors }) => {
              if (errors?.length) return reject(new Error(errors.map((e) => e.message).join('\n')));
              events.push({ ...d!.runUpdated, at: Date.now() });
              if (!['QUEUED', 'RUNNING'].includes(d!.runUpdated.status)) resolve();
            },
            error: reject,
            complete: () => resolve(),
          },
        );
      });
    } finally {
      await client.dispose();
    }
    console.log(`${events.length} updates: ${events.map((e) => `${e.status} ${e.progress.toFixed(2)}`).join(', ')}`);
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', progress: 1 });
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(events.filter((e) => e.status === 'RUNNING' && e.progress > 0 && e.progress < 1 && e.imagesPerSecond! > 0 && e.etaSeconds !== null).length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < events.length; i++) expect(events[i].at - events[i - 1].at).toBeGreaterThan(800);
    await expectComplete(run!, N_BIG);
    // The cancelled run keeps what it had scored.
    expect(await batches(cancelled)).toEqual(keptBatches);
  });
});
