// The id-only search (T fixed, ε with the highest mean in-distribution ODIN score): the rule on hand-built scores,
// and evaluate() with it on a tiny seeded MLP, where no OOD image is held out or used to choose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npyBytes, put, tempDir } from '../data/fixtures.ts';
import { openDataset } from '../data/open.ts';
import type { Model } from '../graph/ir.ts';
import { mulberry32 } from '../preprocess/random.ts';
import { nodeRuntime } from '../runtime/node.ts';
import { mlp } from '../train/architectures.ts';
import { DEFAULT_EPSILONS, chooseIdOnlySetting, emptyScores, evaluate, idGridFor } from './index.ts';
import type { EvaluateOptions, SetScores } from './index.ts';

const scoresOf = (odin: number[][]): SetScores => ({ ...emptyScores(0), odin });

describe('chooseIdOnlySetting', () => {
  const EPS = [0, 0.001, 0.002, 0.003];
  // Means per ε: 0.5, 0.75, 0.75, 0.625 (exact in binary, so the tie is a real tie).
  const inVal = scoresOf([
    [0.5, 0.5, 1, 0.75],
    [0.5, 1, 0.5, 0.5],
  ]);

  it('averages each ε column over the validation images', () => {
    expect(idGridFor(inVal, 1000, EPS)).toEqual(EPS.map((epsilon, e) => ({ temperature: 1000, epsilon, meanScore: [0.5, 0.75, 0.75, 0.625][e] })));
  });

  it('picks the highest mean, ties to the smaller ε, in whatever order the grid comes', () => {
    const grid = idGridFor(inVal, 1000, EPS);
    expect(chooseIdOnlySetting(grid).epsilon).toBe(0.001);
    expect(chooseIdOnlySetting([...grid].reverse()).epsilon).toBe(0.001);
    expect(chooseIdOnlySetting(idGridFor(scoresOf([[0.9, 0.2, 0.95, 0.1]]), 1000, EPS)).epsilon).toBe(0.002);
  });

  it('refuses an empty grid or no scored images', () => {
    expect(() => chooseIdOnlySetting([])).toThrow(/empty/);
    expect(() => idGridFor(scoresOf([]), 1000, EPS)).toThrow(/no in-distribution validation images/);
  });
});

describe('evaluate with the id-only search', () => {
  const SHAPE = { height: 8, width: 8, channels: 1 as const };
  const N_IN = 40;
  const VAL = 16;
  // Smaller than the held-out count: an OOD set needs no validation split here.
  const NOISE = 'gaussian:12:3';
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let model: Model;
  let inSpec: string;

  beforeAll(async () => {
    tmp = await tempDir();
    model = mlp({ input: SHAPE, numClasses: 4, seed: 7 });
    const rand = mulberry32(1);
    inSpec = await put(tmp.dir, 'in.npy', npyBytes(Uint8Array.from({ length: N_IN * 64 }, () => Math.floor(rand() * 160 + 90)), [N_IN, 8, 8]));
  });
  afterAll(() => tmp.cleanup());

  async function run(search: EvaluateOptions['search']) {
    const open = (spec: string) => openDataset(spec, { shape: SHAPE });
    return evaluate({ model, inData: await open(inSpec), outData: [await open(NOISE), await open('uniform:20:1')], runtime: nodeRuntime, backend: 'cpu', batchSize: 8, threads: 1, search });
  }

  it('chooses ε by the mean ODIN score of the held-out in-distribution images at T = 1000, and tests every OOD image', async () => {
    const result = await run({ mode: 'id-only', val: VAL });
    const valJob = result.jobs[`${inSpec}|0-${VAL}|T=1000|eps=${DEFAULT_EPSILONS.join(',')}`];
    expect(valJob.ids).toHaveLength(VAL);
    const means = DEFAULT_EPSILONS.map((_, e) => valJob.odin.reduce((a, r) => a + r[e], 0) / VAL);
    const best = means.indexOf(Math.max(...means));
    // The test needs a choice other than ε = 0 to tell the rule from a default.
    expect(best).toBeGreaterThan(0);
    expect(Object.keys(result.jobs).filter((k) => k.includes(`eps=${DEFAULT_EPSILONS.join(',')}`))).toEqual([`${inSpec}|0-${VAL}|T=1000|eps=${DEFAULT_EPSILONS.join(',')}`]);
    expect(result.nIn).toBe(N_IN - VAL);
    expect(result.results.map((r) => [r.out, r.nOut, r.temperature, r.epsilon])).toEqual([
      [NOISE, 12, 1000, DEFAULT_EPSILONS[best]],
      ['uniform:20:1', 20, 1000, DEFAULT_EPSILONS[best]],
    ]);
    for (const r of result.results) {
      expect(r.grid).toBeUndefined();
      expect(r.idGrid!.map((c) => c.meanScore)).toEqual(means.map((m) => expect.closeTo(m, 12)));
    }
  });

  it('keeps the one T it is given, and refuses a T grid or an OOD set to tune on', async () => {
    const result = await run({ mode: 'id-only', val: VAL, temperatures: [10], epsilons: [0, 0.002] });
    expect(result.results.every((r) => r.temperature === 10 && r.idGrid!.length === 2)).toBe(true);
    await expect(run({ mode: 'id-only', val: VAL, temperatures: [1, 1000] })).rejects.toThrow(/keeps T fixed/);
    await expect(run({ mode: 'id-only', val: VAL, tuneOn: NOISE })).rejects.toThrow(/uses none/);
    await expect(run({ mode: 'id-only', val: N_IN })).rejects.toThrow(RangeError);
  });
});
