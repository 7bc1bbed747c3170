// A run with the ID_ONLY search over real HTTP: it needs no OOD validation split, and records the ε the engine's own
// id-only search chooses on the same data, with the same metrics; a default-mode search beside it still tunes on OOD images.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvaluateResult } from '@odin/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, gql, registerDataset, registerModel, spawnApi, waitForRun, type ApiProcess } from './support/api-process.ts';
import { evaluateNpy, tempDir, writeNpy } from './support/data.ts';

const MODEL = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);
const EPSILONS = [0, 0.001, 0.002, 0.003, 0.004];
const VAL = 100;
// Fewer OOD images than the validation count: an ID_ONLY search holds none of them out.
const N_OUT = 60;
const START = `mutation($m: ID!, $i: ID!, $o: [ID!]!, $search: SearchInput!) {
  startRun(input: { modelId: $m, inDatasetId: $i, outDatasetIds: $o, search: $search, batchSize: 50 }) { id } }`;

describe('search runs through the API', () => {
  let dir: string;
  let api: ApiProcess;
  let reference: EvaluateResult;
  let oodReference: EvaluateResult;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dir = await tempDir();
    const [inPath, outPath, bigOutPath] = await Promise.all([
      writeNpy(dir, 'fashion-mnist:test', 250, 'fashion.npy'),
      writeNpy(dir, 'mnist', N_OUT, 'digits.npy'),
      writeNpy(dir, 'mnist', 150, 'more-digits.npy'),
    ]);
    api = await spawnApi({ ODIN_DATA_DIR: join(dir, 'data') });
    const modelBytes = await readFile(MODEL);
    reference = await evaluateNpy(modelBytes, inPath, outPath, { search: { mode: 'id-only', val: VAL, epsilons: EPSILONS }, batchSize: 50 });
    oodReference = await evaluateNpy(modelBytes, inPath, bigOutPath, { search: { val: VAL, temperatures: [1, 1000], epsilons: EPSILONS }, batchSize: 50 });
    ids.model = (await registerModel(api.url, modelBytes, 'demo')).id;
    ids.in = await registerDataset(api.url, await readFile(inPath), 'fashion');
    ids.out = await registerDataset(api.url, await readFile(outPath), 'digits');
    ids.bigOut = await registerDataset(api.url, await readFile(bigOutPath), 'more-digits');
  });

  afterAll(async () => {
    await api?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('succeeds and records the ε with the highest mean in-distribution ODIN score at T = 1000', async () => {
    const vars = { m: ids.model, i: ids.in, o: [ids.out], search: { mode: 'ID_ONLY', validationCount: VAL, epsilons: EPSILONS } };
    const { startRun } = await data<{ startRun: { id: string } }>(api.url, START, vars);
    expect(await waitForRun(api.url, startRun.id)).toMatchObject({ status: 'SUCCEEDED', error: null });
    // Shards planned the search (in-distribution validation split) and the test (in-distribution rest, OOD in full) stages.
    expect(api.log()).toMatch(new RegExp(`run ${startRun.id}: \\d+ search shards queued[^]*run ${startRun.id}: \\d+ test shards queued`));
    expect(api.log()).not.toContain(`run ${startRun.id}: the final job scored`);
    const { run } = await data<{ run: { settings: { search: unknown }; results: Record<string, unknown>[] } }>(
      api.url,
      `query($id: ID!) { run(id: $id) { settings { search { mode temperatures epsilons validationCount } }
        results { nIn nOut temperature epsilon threshold odin { fprAt95Tpr auroc } baseline { auroc } grid { epsilon } } } }`,
      { id: startRun.id },
    );
    expect(run.settings.search).toEqual({ mode: 'ID_ONLY', temperatures: [1000], epsilons: EPSILONS, validationCount: VAL });
    const [r] = reference.results;
    const best = r.idGrid!.reduce((a, c) => (c.meanScore > a.meanScore ? c : a));
    expect(r.epsilon).toBe(best.epsilon);
    expect(run.results).toEqual([
      {
        nIn: 250 - VAL,
        nOut: N_OUT,
        temperature: 1000,
        epsilon: best.epsilon,
        threshold: r.odin.threshold,
        odin: { fprAt95Tpr: r.odin.fprAt95Tpr, auroc: r.odin.auroc },
        baseline: { auroc: r.baseline.auroc },
        grid: null,
      },
    ]);
  });

  it('refuses a T grid, and keeps requiring OOD validation images in the default mode', async () => {
    const twoT = await gql(api.url, START, { m: ids.model, i: ids.in, o: [ids.out], search: { mode: 'ID_ONLY', temperatures: [1, 1000] } });
    expect(twoT.errors?.[0]).toMatchObject({ message: 'an ID_ONLY search keeps T fixed: give one temperature', extensions: { code: 'BAD_USER_INPUT' } });
    const ood = await gql(api.url, START, { m: ids.model, i: ids.in, o: [ids.out], search: { validationCount: VAL } });
    expect(ood.errors?.[0].message).toMatch(/digits has 60 items, but the search holds out 100/);
  });

  it('keeps the OOD_VALIDATION search the default, choosing by FPR95 on the OOD validation images', async () => {
    const vars = { m: ids.model, i: ids.in, o: [ids.bigOut], search: { validationCount: VAL, temperatures: [1, 1000], epsilons: EPSILONS } };
    const { startRun } = await data<{ startRun: { id: string } }>(api.url, START, vars);
    expect(await waitForRun(api.url, startRun.id)).toMatchObject({ status: 'SUCCEEDED', error: null });
    const { run } = await data<{ run: { settings: { search: { mode: string } }; results: Record<string, unknown>[] } }>(
      api.url,
      'query($id: ID!) { run(id: $id) { settings { search { mode } } results { nIn nOut temperature epsilon odin { fprAt95Tpr } grid { temperature epsilon fprAt95Tpr } } } }',
      { id: startRun.id },
    );
    const [r] = oodReference.results;
    expect(run.settings.search.mode).toBe('OOD_VALIDATION');
    expect(run.results).toEqual([
      {
        nIn: 250 - VAL,
        nOut: 150 - VAL,
        temperature: r.temperature,
        epsilon: r.epsilon,
        odin: { fprAt95Tpr: r.odin.fprAt95Tpr },
        grid: r.grid!.map((c) => ({ temperature: c.temperature, epsilon: c.epsilon, fprAt95Tpr: c.fprAt95Tpr })),
      },
    ]);
  });
});
