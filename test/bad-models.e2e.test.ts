// Bad models through the real API (upload + registerModel + startRun on a spawned API with its worker and embedded
// Postgres) and through the engine: each gets a clear error at registration or compile time, and after each one the
// API still answers and a good run still completes.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError, UnsupportedModelError, UnsupportedOpError, compileOdin, readModel } from '@odin/engine';
import { data, gql, spawnApi, uploadId, waitForRun, type ApiProcess } from '../apps/api/test/support/api-process.ts';
import { tempDir } from '../apps/api/test/support/data.ts';
import { DEMO_MODEL, badModels } from './support/bad-models.ts';

const HOOK_TIMEOUT = 300_000;
const CASES = badModels();
/** Cases that register as a model ODIN cannot compile: the registration reports why, and startRun refuses it. */
const UNCOMPILABLE = new Set(['a dynamic-rank input', 'an unsupported op on the gradient path']);

const REGISTER = 'mutation($u: ID!, $n: String!) { registerModel(input: { uploadId: $u, name: $n }) { id odinCompiles odinError } }';
const START = 'mutation($m: ID!, $i: ID!, $o: [ID!]!) { startRun(input: { modelId: $m, inDatasetId: $i, outDatasetIds: $o, temperature: 1000, epsilon: 0.0014, batchSize: 64 }) { id } }';
const SYNTHETIC = 'mutation($k: SyntheticKind!, $s: Int!) { createSyntheticDataset(input: { kind: $k, count: 96, seed: $s }) { id } }';

describe('bad models', () => {
  let dir: string;
  let api: ApiProcess;
  const ids = { model: '', in: '', out: '' };

  beforeAll(async () => {
    dir = await tempDir();
    api = await spawnApi({ ODIN_DATA_DIR: join(dir, 'data') });
    ids.model = (await data<{ registerModel: { id: string } }>(api.url, REGISTER, { u: await uploadId(api.url, DEMO_MODEL, 'demo.onnx'), n: 'demo' })).registerModel.id;
    ids.in = (await data<{ createSyntheticDataset: { id: string } }>(api.url, SYNTHETIC, { k: 'UNIFORM', s: 1 })).createSyntheticDataset.id;
    ids.out = (await data<{ createSyntheticDataset: { id: string } }>(api.url, SYNTHETIC, { k: 'GAUSSIAN', s: 2 })).createSyntheticDataset.id;
  }, HOOK_TIMEOUT);
  afterAll(async () => {
    await api?.stop();
    await rm(dir, { recursive: true, force: true });
  }, HOOK_TIMEOUT);

  /** A run of the good model finishes with results: the worker is not wedged. */
  async function goodRunCompletes(): Promise<void> {
    const { startRun } = await data<{ startRun: { id: string } }>(api.url, START, { m: ids.model, i: ids.in, o: [ids.out] });
    expect(await waitForRun(api.url, startRun.id)).toMatchObject({ status: 'SUCCEEDED', progress: 1, error: null });
    const { run } = await data<{ run: { results: { odin: { auroc: number } }[] } }>(api.url, 'query($id: ID!) { run(id: $id) { results { odin { auroc } } } }', { id: startRun.id });
    expect(run.results).toHaveLength(1);
    expect(run.results[0].odin.auroc).toBeGreaterThanOrEqual(0);
  }

  it.each(CASES.map((c) => [c.name, c] as const))('%s: a clear error at registration or compile time, then a good run completes', async (_, bad) => {
    const registered = await gql<{ registerModel: { id: string; odinCompiles: boolean; odinError: string | null } }>(api.url, REGISTER, { u: await uploadId(api.url, bad.bytes, 'bad.onnx'), n: bad.name });
    if (UNCOMPILABLE.has(bad.name)) {
      expect(registered.errors).toBeUndefined();
      expect(registered.data!.registerModel).toMatchObject({ odinCompiles: false, odinError: expect.stringMatching(bad.error) });
      const start = await gql(api.url, START, { m: registered.data!.registerModel.id, i: ids.in, o: [ids.out] });
      expect(start.errors?.[0]).toMatchObject({ message: expect.stringMatching(/cannot be compiled for ODIN/), extensions: { code: 'BAD_USER_INPUT' } });
      expect(start.errors![0].message).toMatch(bad.error);
    } else {
      expect(registered.data).toBeNull();
      expect(registered.errors).toHaveLength(1);
      expect(registered.errors![0]).toMatchObject({ message: expect.stringMatching(bad.error), extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(api.child.exitCode).toBeNull();
    await goodRunCompletes();
  });

  it('registered none of the refused models, and logged no crash', async () => {
    const { models } = await data<{ models: { edges: { node: { name: string } }[] } }>(api.url, '{ models(first: 100) { edges { node { name } } } }');
    expect(models.edges.map((e) => e.node.name).sort()).toEqual(['demo', ...UNCOMPILABLE].sort());
    expect(api.log()).not.toMatch(/Unhandled|uncaught|INTERNAL_SERVER_ERROR|RangeError|TypeError/i);
  });

  it('the engine refuses each one with its own typed error when compiling (NaN/Inf weights are refused by registration only)', () => {
    for (const bad of CASES) {
      const compile = () => compileOdin(readModel(bad.bytes));
      if (bad.name === 'NaN/Inf weights') {
        expect(compile).not.toThrow();
        continue;
      }
      let error: unknown;
      try {
        compile();
      } catch (e) {
        error = e;
      }
      expect([ModelFormatError, UnsupportedModelError, UnsupportedOpError].some((k) => error instanceof k), `${bad.name}: ${String(error)}`).toBe(true);
      expect((error as Error).message, bad.name).toMatch(bad.error);
    }
  });
});
