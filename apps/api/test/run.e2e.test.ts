// End to end over real HTTP: upload a model and two .npy sets, run ODIN as a job, and check every number against evaluate() on the same data.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readModel, type EvaluateResult } from '@odin/engine';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, spawnApi, uploadId, waitForRun, type ApiProcess } from './support/api-process.ts';
import { evaluateNpy, tempDir, writeNpy } from './support/data.ts';

const MODEL = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);
const METRICS = 'fprAt95Tpr detectionError auroc auprIn auprOut';

type Metrics = Record<'fprAt95Tpr' | 'detectionError' | 'auroc' | 'auprIn' | 'auprOut', number>;
interface Result {
  outDataset: { id: string };
  threshold: number;
  baselineThreshold: number;
  baseline: Metrics;
  odin: Metrics;
  curves: { odin: { roc: { fpr: number[]; thresholds: (number | null)[] }; prIn: { precision: number[] } } };
  histograms: { odin: { in: number[]; out: number[] } };
}
interface Sample {
  datasetId: string;
  index: number;
  rank: number;
  odin: number;
  prediction: number;
  predictedLabel: string | null;
}

describe('a run through the API', () => {
  let dir: string;
  let api: ApiProcess;
  let inPath: string;
  let outPath: string;
  let reference: EvaluateResult;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dir = await tempDir();
    [inPath, outPath] = await Promise.all([writeNpy(dir, 'fashion-mnist:test', 300, 'fashion.npy'), writeNpy(dir, 'mnist', 200, 'digits.npy')]);
    api = await spawnApi({ ODIN_DATA_DIR: join(dir, 'data') });
    const modelBytes = await readFile(MODEL);
    reference = await evaluateNpy(modelBytes, inPath, outPath, { temperature: 1000, epsilon: 0.0014, batchSize: 32 });
    const [m, a, b] = await Promise.all([uploadId(api.url, modelBytes, 'demo.onnx'), uploadId(api.url, await readFile(inPath), 'fashion.npy'), uploadId(api.url, await readFile(outPath), 'digits.npy')]);
    ids.model = (await data<{ registerModel: { id: string } }>(api.url, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "demo" }) { id } }', { u: m })).registerModel.id;
    const reg = 'mutation($u: ID!, $n: String!) { registerDataset(input: { uploadId: $u, name: $n }) { id itemCount itemShape format } }';
    const inSet = (await data<{ registerDataset: { id: string; itemCount: number; itemShape: number[]; format: string } }>(api.url, reg, { u: a, n: 'fashion' })).registerDataset;
    expect(inSet).toMatchObject({ itemCount: 300, itemShape: [28, 28, 1], format: 'NPY' });
    ids.in = inSet.id;
    ids.out = (await data<{ registerDataset: { id: string } }>(api.url, reg, { u: b, n: 'digits' })).registerDataset.id;
  });

  afterAll(async () => {
    await api?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes with every metric, threshold and count equal to evaluate() on the same data', async () => {
    const { startRun } = await data<{ startRun: { id: string; status: string } }>(
      api.url,
      'mutation($m: ID!, $i: ID!, $o: [ID!]!) { startRun(input: { modelId: $m, inDatasetId: $i, outDatasetIds: $o, temperature: 1000, epsilon: 0.0014, batchSize: 32 }) { id status } }',
      { m: ids.model, i: ids.in, o: [ids.out] },
    );
    expect(startRun.status).toBe('QUEUED');
    ids.run = startRun.id;
    expect(await waitForRun(api.url, startRun.id)).toMatchObject({ status: 'SUCCEEDED', progress: 1, error: null });
    const { run } = await data<{ run: { accuracy: number; imagesPerSecond: number; model: { id: string }; inDataset: { id: string }; outDatasets: { id: string }[]; results: Result[] } }>(
      api.url,
      `query($id: ID!) { run(id: $id) { accuracy imagesPerSecond model { id } inDataset { id } outDatasets { id }
        results { outDataset { id } nIn nOut temperature epsilon threshold baselineThreshold baseline { ${METRICS} } odin { ${METRICS} }
          curves { odin { roc { fpr tpr thresholds } prIn { recall precision } } baseline { roc { fpr } } } histograms { odin { edges in out } baseline { in out } } grid { auroc } } } }`,
      { id: startRun.id },
    );
    expect(run.model.id).toBe(ids.model);
    expect(run.outDatasets.map((d) => d.id)).toEqual([ids.out]);
    expect(run.imagesPerSecond).toBeGreaterThan(0);
    expect(run.accuracy ?? undefined).toBe(reference.accuracy);
    const [r] = run.results;
    const ref = reference.results[0];
    expect(r).toMatchObject({ outDataset: { id: ids.out }, nIn: 300, nOut: 200, temperature: 1000, epsilon: 0.0014, grid: null });
    const pairs: [number, number][] = [
      [r.threshold, ref.odin.threshold],
      [r.baselineThreshold, ref.baseline.threshold],
      ...(['odin', 'baseline'] as const).flatMap((m) =>
        (['fprAt95Tpr', 'detectionError', 'auroc', 'auprIn', 'auprOut'] as const).map((k) => [r[m][k], ref[m][k]] as [number, number]),
      ),
    ];
    for (const [ours, theirs] of pairs) expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(1e-9);
    expect(r.curves.odin.roc.fpr).toEqual(ref.odin.curves.roc.fpr);
    expect(r.curves.odin.roc.thresholds[0]).toBeNull();
    expect(r.curves.odin.prIn.precision).toEqual(ref.odin.curves.prIn.precision);
    expect(r.histograms.odin.in.reduce((a: number, b: number) => a + b)).toBe(300);
    expect(r.histograms.odin.out.reduce((a: number, b: number) => a + b)).toBe(200);
  });

  it('streams the per-sample scores as CSV, one row per sample, equal to evaluate()’s', async () => {
    const text = await (await fetch(`${api.url}/v1/runs/${ids.run}/scores.csv`)).text();
    const [header, ...rows] = text.trim().split('\n');
    expect(header).toBe('dataset_id,index,prediction,msp,odin');
    expect(rows).toHaveLength(500);
    const inScores = Object.values(reference.scores.in)[0];
    const parsed = rows.map((l) => l.split(','));
    const ins = parsed.filter((p) => p[0] === ids.in);
    const outs = parsed.filter((p) => p[0] === ids.out);
    expect(ins.map((p) => Number(p[1]))).toEqual(inScores.indices);
    expect(ins.map((p) => Number(p[2]))).toEqual(inScores.prediction);
    expect(ins.map((p) => Number(p[3]))).toEqual(inScores.msp);
    expect(ins.map((p) => Number(p[4]))).toEqual(inScores.odin.map((o) => o[0]));
    expect(outs.map((p) => Number(p[4]))).toEqual(reference.scores.out[0].odin.map((o) => o[0]));
  });

  it('names the hardest samples in rank order, with label names', async () => {
    const { run } = await data<{ run: { hardestSamples: { ood: Sample[]; inDistribution: Sample[] } } }>(
      api.url,
      'query($id: ID!, $o: ID!) { run(id: $id) { hardestSamples(outDatasetId: $o, first: 5) { ood { datasetId index rank odin prediction predictedLabel } inDistribution { index rank odin } } } }',
      { id: ids.run, o: ids.out },
    );
    const outOdin = reference.scores.out[0].odin.map((o) => o[0]);
    const top = [...outOdin].sort((a, b) => b - a).slice(0, 5);
    expect(run.hardestSamples.ood.map((s) => s.odin)).toEqual(top);
    expect(run.hardestSamples.ood.map((s) => s.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(outOdin[run.hardestSamples.ood[0].index]).toBe(top[0]);
    expect(run.hardestSamples.ood[0].predictedLabel).toMatch(/^(T-shirt\/top|Trouser|Pullover|Dress|Coat|Sandal|Shirt|Sneaker|Bag|Ankle boot)$/);
    const inOdin = Object.values(reference.scores.in)[0].odin.map((o) => o[0]);
    expect(run.hardestSamples.inDistribution[0].odin).toBe(Math.min(...inOdin));
  });

  it('serves items as PNG and the compiled ODIN graph', async () => {
    const res = await fetch(`${api.url}/v1/datasets/${ids.in}/items/7.png`);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 28, 28, 1]);
    const pixels = await sharp(png).extractChannel(0).raw().toBuffer();
    const npy = await readFile(inPath);
    expect(Array.from(pixels)).toEqual(Array.from(npy.subarray(npy.length - 300 * 784 + 7 * 784, npy.length - 300 * 784 + 8 * 784)));
    expect((await fetch(`${api.url}/v1/datasets/${ids.in}/items/300.png`)).status).toBe(404);
    const graph = readModel(new Uint8Array(await (await fetch(`${api.url}/v1/models/${ids.model}/odin.onnx`)).arrayBuffer()));
    expect(graph.graph.inputs.map((v) => v.name)).toEqual(['image', 'temperature', 'epsilon']);
    expect(graph.graph.outputs.map((v) => v.name)).toEqual(expect.arrayContaining(['msp', 'odin', 'prediction']));
  });

  it('refuses to delete what a run uses, and deletes in order', async () => {
    const del = (what: string, id: string) => data<Record<string, boolean>>(api.url, `mutation($id: ID!) { delete${what}(id: $id) }`, { id });
    await expect(del('Model', ids.model)).rejects.toThrow(/BAD_USER_INPUT: model .* is used by 1 run/);
    await expect(del('Dataset', ids.out)).rejects.toThrow(/is used by 1 run/);
    const { rerun } = await data<{ rerun: { id: string } }>(api.url, 'mutation($id: ID!) { rerun(id: $id) { id } }', { id: ids.run });
    const { cancelRun } = await data<{ cancelRun: { status: string } }>(api.url, 'mutation($id: ID!) { cancelRun(id: $id) { status } }', { id: rerun.id });
    expect(cancelRun.status).toBe('CANCELLED');
    expect(await del('Run', rerun.id)).toEqual({ deleteRun: true });
    expect(await del('Run', ids.run)).toEqual({ deleteRun: true });
    expect(await del('Dataset', ids.out)).toEqual({ deleteDataset: true });
    const { run } = await data<{ run: null }>(api.url, 'query($id: ID!) { run(id: $id) { id } }', { id: ids.run });
    expect(run).toBeNull();
  });
});
