// Durability: the API killed with SIGKILL mid-run resumes from its stored batches; embedded Postgres recovers after the crash.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluate, readModel } from '@odin/engine';
import { nodeRuntime, openDataset } from '@odin/engine/node';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrate.ts';
import { data, spawnApi, uploadId, waitForRun } from './support/api-process.ts';
import { tempDir } from './support/data.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';
import { settledBatches, storedBatches } from './support/run-checks.ts';

const MODEL = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a run interrupted by SIGKILL', () => {
  let dir: string;
  let db: TestDatabase;
  let sql: pg.Client;
  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    await migrate(db.url);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes after a restart with the uninterrupted result, scoring none of the stored batches again', async () => {
    // A dead process's shard job is retried once it expires (pg-boss 10 has no heartbeat): a short expiry keeps the test short.
    const env = { DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'data'), ODIN_THREADS: '1', ODIN_SHARD_EXPIRE_SECONDS: '8', ODIN_MAINTENANCE_SECONDS: '2' };
    let api = await spawnApi(env);
    const modelBytes = await readFile(MODEL);
    const { registerModel } = await data<{ registerModel: { id: string } }>(api.url, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "demo" }) { id } }', { u: await uploadId(api.url, modelBytes) });
    const noise = 'mutation($k: SyntheticKind!, $n: Int!, $s: Int!, $like: ID) { createSyntheticDataset(input: { kind: $k, count: $n, seed: $s, like: $like }) { id } }';
    const a = (await data<{ createSyntheticDataset: { id: string } }>(api.url, noise, { k: 'UNIFORM', n: 1500, s: 1, like: registerModel.id })).createSyntheticDataset.id;
    const b = (await data<{ createSyntheticDataset: { id: string } }>(api.url, noise, { k: 'GAUSSIAN', n: 1500, s: 2 })).createSyntheticDataset.id;
    const { startRun } = await data<{ startRun: { id: string } }>(
      api.url,
      'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b], temperature: 100, epsilon: 0.002, batchSize: 16 }) { id } }',
      { m: registerModel.id, a, b },
    );
    const batches = () => storedBatches(sql, startRun.id);
    while ((await batches()).length < 40) await sleep(100);
    await api.kill9();
    const before = await settledBatches(sql, startRun.id);
    const { rows: [killed] } = await sql.query('SELECT status FROM run WHERE id = $1', [startRun.id]);
    expect(killed.status).toBe('RUNNING');
    expect(before.length).toBeLessThan(3000 / 16);

    api = await spawnApi(env);
    try {
      expect(await waitForRun(api.url, startRun.id)).toMatchObject({ status: 'SUCCEEDED', error: null });
      expect(api.log()).toMatch(new RegExp(`shard \\S+ resumes from ${before.length} stored batch windows`));
      const after = await batches();
      // Every window exactly once (1500/16 rounded up, per set), and the ones stored before the kill kept as they were.
      expect(after).toHaveLength(2 * Math.ceil(1500 / 16));
      expect(new Set(after.map((r) => `${r.job}@${r.start}`)).size).toBe(after.length);
      expect(after.slice(0, before.length)).toEqual(before);

      const reference = await evaluate({
        model: readModel(modelBytes),
        inData: await openDataset('uniform:1500:1'),
        outData: [await openDataset('gaussian:1500:2')],
        runtime: nodeRuntime,
        backend: 'cpu',
        temperature: 100,
        epsilon: 0.002,
        batchSize: 16,
      });
      const { run } = await data<{ run: { results: { threshold: number; odin: { auroc: number; fprAt95Tpr: number }; baseline: { auroc: number } }[] } }>(
        api.url,
        'query($id: ID!) { run(id: $id) { results { threshold odin { auroc fprAt95Tpr } baseline { auroc } } } }',
        { id: startRun.id },
      );
      const ref = reference.results[0];
      expect(run.results[0]).toEqual({ threshold: ref.odin.threshold, odin: { auroc: ref.odin.auroc, fprAt95Tpr: ref.odin.fprAt95Tpr }, baseline: { auroc: ref.baseline.auroc } });
    } finally {
      await api.stop();
    }
  });

  it('starts again on the same data folder after the whole process group, embedded Postgres included, was SIGKILLed', async () => {
    const env = { ODIN_DATA_DIR: join(dir, 'embedded') };
    let api = await spawnApi(env);
    const { createSyntheticDataset } = await data<{ createSyntheticDataset: { id: string } }>(api.url, 'mutation { createSyntheticDataset(input: { kind: UNIFORM, count: 10 }) { id } }');
    await api.kill9();
    api = await spawnApi(env);
    try {
      const { dataset } = await data<{ dataset: { id: string } }>(api.url, 'query($id: ID!) { dataset(id: $id) { id } }', { id: createSyntheticDataset.id });
      expect(dataset.id).toBe(createSyntheticDataset.id);
    } finally {
      expect(await api.stop()).toBe(0);
    }
  });
});
