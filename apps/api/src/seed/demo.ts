// The demo a first start seeds: the committed Fashion-MNIST model, the built-in datasets and one run for the worker.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { openDataset } from '@odin/engine/node';
import type { Services } from '../services.ts';

const DEMO_MODEL = fileURLToPath(new URL('../../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url));

/** Built-in sets as the engine names them; the noise seeds match `npm run demo:eval`. */
export const BUILTIN_DATASETS = [
  { spec: 'fashion-mnist:test', name: 'Fashion-MNIST test' },
  { spec: 'mnist', name: 'MNIST' },
  { spec: 'uniform:10000:1', name: 'Uniform noise' },
  { spec: 'gaussian:10000:2', name: 'Gaussian noise' },
  { spec: 'invert:fashion-mnist:test', name: 'Inverted Fashion-MNIST test' },
] as const;

/** The paper's defaults (Liang et al. 2018). */
export const DEMO_RUN = { in: 'fashion-mnist:test', out: ['mnist', 'invert:fashion-mnist:test'], temperature: 1000, epsilon: 0.0014 } as const;

export type SeedResult = { seeded: false } | { seeded: true; modelId: string; runId: string };

/** Seeds once per database (a transaction-scoped advisory lock makes concurrent starts safe); later calls do nothing. */
export async function seedDemo(s: Services, log: (line: string) => void): Promise<SeedResult> {
  const existing = await s.db.dataset.count({ where: { kind: 'BUILTIN' } });
  if (existing > 0) return { seeded: false };
  log('api: seeding the demo (model, 5 built-in datasets, one run)…');
  const bytes = new Uint8Array(await readFile(DEMO_MODEL));
  const blob = await s.blobs.putBytes(bytes);
  const datasets = await Promise.all(
    BUILTIN_DATASETS.map(async ({ spec, name }) => {
      const ds = await openDataset(spec);
      const first = (await ds.batches({ batchSize: 1 })[Symbol.asyncIterator]().next()).value?.[0];
      if (!first) throw new Error(`built-in dataset ${spec} is empty`);
      return { spec, name, itemCount: ds.size, itemShape: [first.image.height, first.image.width, first.image.channels], labels: ds.labels ?? [] };
    }),
  );
  const seeded = await s.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('odin:seed-demo'))`;
    if ((await tx.dataset.count({ where: { kind: 'BUILTIN' } })) > 0) return null;
    const rows = [];
    for (const d of datasets)
      rows.push(await tx.dataset.create({ data: { name: d.name, kind: 'BUILTIN', format: 'BUILTIN', itemCount: d.itemCount, itemShape: d.itemShape, sourceSpec: d.spec, labels: d.labels, rejected: [] } }));
    const upload = await tx.upload.create({ data: { sha256: blob.sha256, size: blob.size, filename: 'fashion-mnist-small-cnn.onnx' } });
    return { rows, uploadId: upload.id };
  });
  if (!seeded) return { seeded: false };
  const model = await s.models.register({ uploadId: seeded.uploadId, name: 'Fashion-MNIST small CNN (demo)', description: 'The committed demo model: a small CNN trained on Fashion-MNIST by `npm run demo:train`.' });
  const id = (spec: string) => seeded.rows.find((r) => r.sourceSpec === spec)!.id;
  const run = await s.runs.start({ modelId: model.id, inDatasetId: id(DEMO_RUN.in), outDatasetIds: DEMO_RUN.out.map(id), temperature: DEMO_RUN.temperature, epsilon: DEMO_RUN.epsilon });
  log(`api: demo seeded; run ${run.id} queued`);
  return { seeded: true, modelId: model.id, runId: run.id };
}
