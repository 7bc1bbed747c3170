// End to end: `odin eval` and `odin metrics` as a user runs them, on the demo Fashion-MNIST classifier with a few
// hundred Fashion-MNIST and MNIST images written as .npy files: tables, JSON, the search, score files and exit codes.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '@odin/engine/node';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** As a user types it, relative to the repository root (the CLI's working directory). */
const MODEL = 'packages/engine/demo/fashion-mnist-small-cnn.onnx';
const N_FM = 300;
const N_MNIST = 200;
/** The MNIST image stored with a value outside [0,1]: the reader skips it and eval reports it. */
const CORRUPT = 7;
const NOISE = 'uniform:200:1';
const METRIC_KEYS = ['fprAt95Tpr', 'detectionError', 'auroc', 'auprIn', 'auprOut', 'threshold'];
const FRACTIONS = METRIC_KEYS.filter((k) => k !== 'threshold');
const TABLE_ROWS: [string, string][] = [
  ['FPR at TPR 95%:', 'fprAt95Tpr'],
  ['Detection error:', 'detectionError'],
  ['AUROC:', 'auroc'],
  ['AUPR In:', 'auprIn'],
  ['AUPR Out:', 'auprOut'],
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node packages/engine/bin/odin.js ...args` in the repository root. */
function odin(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [join(ROOT, 'packages/engine/bin/odin.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** Runs each argument list through `odin`, at most 4 at a time (each is a Node process with tsx). */
async function odinAll(argLists: string[][]): Promise<Run[]> {
  const runs: Run[] = new Array(argLists.length);
  let next = 0;
  const worker = async () => {
    while (next < argLists.length) {
      const i = next++;
      runs[i] = await odin(...argLists[i]);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return runs;
}

/** Bytes of an .npy file (format 1.0). */
function npy(data: Uint8Array | Float32Array, shape: number[]): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : '|u1';
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  const header = dict + ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** The first n images of a dataset as [0,1] floats, 28×28 each. */
async function firstImages(spec: string, n: number, opts: { fashionMnistDir?: null } = {}): Promise<Float32Array> {
  const data = await openDataset(spec, opts);
  const out = new Float32Array(n * 784);
  let k = 0;
  for await (const batch of data.batches({ batchSize: 100 })) {
    for (const s of batch) if (k < n) out.set(s.image.pixels, 784 * k++);
    if (k >= n) break;
  }
  expect(k).toBe(n);
  return out;
}

let dir: string;
let fm: string;
let mnist: string;

beforeAll(async () => {
  expect(existsSync(join(ROOT, MODEL)), `the demo model ${MODEL} (npm run demo:train)`).toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'odin-cli-eval-'));
  // Relative paths, as a user would give them from the repository root.
  fm = relative(ROOT, join(dir, 'fashion.npy'));
  mnist = relative(ROOT, join(dir, 'mnist.npy'));
  const fmPixels = await firstImages('fashion-mnist:test', N_FM, { fashionMnistDir: null });
  await writeFile(join(ROOT, fm), npy(Uint8Array.from(fmPixels, (v) => Math.round(v * 255)), [N_FM, 28, 28]));
  const digits = await firstImages('mnist', N_MNIST);
  digits[CORRUPT * 784 + 300] = 1.5;
  await writeFile(join(ROOT, mnist), npy(digits, [N_MNIST, 28, 28]));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface MethodJson {
  fprAt95Tpr: number;
  detectionError: number;
  auroc: number;
  auprIn: number;
  auprOut: number;
  threshold: number;
}
interface ResultJson {
  out: string;
  nOut: number;
  temperature: number;
  epsilon: number;
  baseline: MethodJson;
  odin: MethodJson;
  grid?: { temperature: number; epsilon: number; fprAt95Tpr: number; auroc: number }[];
}
interface EvalJson {
  model: string;
  in: string;
  nIn: number;
  results: ResultJson[];
}

function expectMetrics(m: MethodJson) {
  expect(Object.keys(m).sort()).toEqual([...METRIC_KEYS].sort());
  for (const k of FRACTIONS) {
    const v = m[k as keyof MethodJson];
    expect(v, k).toBeGreaterThanOrEqual(0);
    expect(v, k).toBeLessThanOrEqual(1);
  }
  expect(Number.isFinite(m.threshold)).toBe(true);
}

function expectProgressOnStderr(run: Run) {
  expect(run.stderr).toMatch(/\d+\/\d+ images \| \d+ img\/s \| ETA/);
}

describe('odin eval with fixed T and ε', () => {
  let table: Run;
  let json: Run;
  let doc: EvalJson;
  const scores = () => join(dir, 'scores');

  beforeAll(async () => {
    // The two runs in parallel (2 cores); the JSON run lists the OOD sets in the other order.
    [table, json] = await Promise.all([
      odin('eval', '--model', MODEL, '--in', fm, '--out', mnist, '--out', NOISE, '--batch', '100'),
      odin('eval', '--model', MODEL, '--in', fm, '--out', NOISE, '--out', mnist, '--batch', '100', '--json', '--scores', scores()),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    doc = JSON.parse(json.stdout) as EvalJson;
  });

  it('prints the reference table per OOD set with model and dataset names', () => {
    const tables = table.stdout.split(/\n(?=Neural network architecture:)/);
    expect(tables).toHaveLength(2);
    for (const [i, out] of [mnist, NOISE].entries()) {
      const t = tables[i];
      expect(t).toMatch(/^Neural network architecture:\s+small-cnn$/m);
      expect(t).toMatch(new RegExp(`^In-distribution dataset:\\s+${fm.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(t).toMatch(new RegExp(`^Out-of-distribution dataset:\\s+${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
      expect(t).toMatch(new RegExp(`^Images \\(in / out\\):\\s+${N_FM} / ${out === mnist ? N_MNIST - 1 : 200}$`, 'm'));
      expect(t).toMatch(/^Temperature \/ epsilon:\s+T=1000, ε=0\.0014$/m);
      expect(t).toMatch(/^\s+Baseline\s+Our Method$/m);
      // Each row: the same numbers as the JSON run, as percentages with one decimal.
      const r = doc.results.find((x) => x.out === out)!;
      for (const [label, key] of TABLE_ROWS) {
        const row = new RegExp(`^${label.replace(/[%]/g, '\\$&')}\\s+(\\d+\\.\\d)%\\s+(\\d+\\.\\d)%$`, 'm').exec(t);
        expect(row, `${label} in\n${t}`).not.toBeNull();
        expect(row![1]).toBe((100 * r.baseline[key as keyof MethodJson]).toFixed(1));
        expect(row![2]).toBe((100 * r.odin[key as keyof MethodJson]).toFixed(1));
      }
    }
    // .npy files carry no labels, so there is no accuracy line.
    expect(table.stdout).not.toContain('accuracy');
    expectProgressOnStderr(table);
    expect(table.stderr).toContain(`skipped 1 unreadable images, e.g. mnist.npy#${CORRUPT}`);
  });

  it('prints only JSON with --json: the arguments as given, results in --out order, fractions in [0,1]', () => {
    expect(json.stdout.trim().startsWith('{')).toBe(true);
    expect(doc.model).toBe(MODEL);
    expect(doc.in).toBe(fm);
    expect(doc.nIn).toBe(N_FM);
    expect(doc.results.map((r) => r.out)).toEqual([NOISE, mnist]);
    expect(doc.results.map((r) => r.nOut)).toEqual([200, N_MNIST - 1]);
    for (const r of doc.results) {
      expect(Object.keys(r)).toEqual(['out', 'nOut', 'temperature', 'epsilon', 'baseline', 'odin']);
      expect([r.temperature, r.epsilon]).toEqual([1000, 0.0014]);
      expectMetrics(r.baseline);
      expectMetrics(r.odin);
    }
    expectProgressOnStderr(json);
  });

  it('writes per-sample scores in the reference format, with an index of ids and skips', async () => {
    const index = JSON.parse(await readFile(join(scores(), 'index.json'), 'utf8')) as {
      set: string;
      role: string;
      files: { baseline: string; odin: string };
      against?: { baseline: string; odin: string };
      ids: string[];
      skipped: { id: string; reason: string }[];
    }[];
    expect(index.map((e) => [e.role, e.set])).toEqual([
      ['in', fm],
      ['out', NOISE],
      ['out', mnist],
    ]);
    const [inEntry, noiseEntry, mnistEntry] = index;
    expect(inEntry.ids).toEqual(Array.from({ length: N_FM }, (_, i) => `fashion.npy#${i}`));
    expect(inEntry.skipped).toEqual([]);
    expect(noiseEntry.ids).toEqual(Array.from({ length: 200 }, (_, i) => `uniform#${i}`));
    expect(mnistEntry.ids).toEqual(Array.from({ length: N_MNIST }, (_, i) => i).filter((i) => i !== CORRUPT).map((i) => `mnist.npy#${i}`));
    expect(mnistEntry.skipped).toEqual([{ id: `mnist.npy#${CORRUPT}`, reason: expect.stringContaining('outside [0,1]') }]);
    for (const e of index) {
      for (const [method, file] of Object.entries(e.files)) {
        const lines = (await readFile(join(scores(), file), 'utf8')).trimEnd().split('\n');
        expect(lines, file).toHaveLength(e.ids.length);
        for (const line of lines) {
          const cols = line.split(/,\s*/).map(Number);
          expect(cols, line).toHaveLength(3);
          expect(cols.every(Number.isFinite), line).toBe(true);
          expect(cols.slice(0, 2)).toEqual(method === 'odin' ? [1000, 0.0014] : [1, 0]);
        }
      }
    }
    expect(noiseEntry.against).toEqual(inEntry.files);
  });

  it('odin metrics on the score files reproduces the JSON numbers, in both file formats', async () => {
    const index = JSON.parse(await readFile(join(scores(), 'index.json'), 'utf8')) as { role: string; set: string; files: { baseline: string; odin: string }; against: { baseline: string; odin: string } }[];
    const outs = index.filter((e) => e.role === 'out');
    const runs = await odinAll(outs.flatMap((e) => (['baseline', 'odin'] as const).map((m) => ['metrics', '--in', join(scores(), e.against[m]), '--out', join(scores(), e.files[m]), '--json'])));
    outs.forEach((e, i) => {
      const r = doc.results.find((x) => x.out === e.set)!;
      for (const [j, m] of (['baseline', 'odin'] as const).entries()) {
        const run = runs[2 * i + j];
        expect(run.code, run.stderr).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual(r[m]);
      }
    });
    // One score per line: the last column alone.
    const single = async (file: string) => {
      const path = join(dir, `single-${file}`);
      const text = await readFile(join(scores(), file), 'utf8');
      await writeFile(path, text.replace(/^.*,\s*/gm, ''));
      return path;
    };
    const mnistEntry = outs.find((e) => e.set === mnist)!;
    const plain = await odin('metrics', '--in', await single(mnistEntry.against.odin), '--out', await single(mnistEntry.files.odin), '--json');
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toEqual(doc.results.find((x) => x.out === mnist)!.odin);
    const text = await odin('metrics', '--in', await single(mnistEntry.against.odin), '--out', await single(mnistEntry.files.odin));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^AUROC:\s+\d+\.\d\d%$/m);
  });
});

describe('odin eval --search', () => {
  it('tunes T and ε on the first --val images and evaluates on the rest, with the full grid', async () => {
    // --tune-on: the MNIST setting is used for the noise set too (so only one set is swept).
    const run = await odin('eval', '--model', MODEL, '--in', fm, '--out', mnist, '--out', NOISE, '--search', '--val', '100', '--tune-on', mnist, '--batch', '100', '--json');
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as EvalJson;
    expect(doc.nIn).toBe(N_FM - 100);
    expect(doc.results.map((x) => [x.out, x.nOut])).toEqual([
      [mnist, N_MNIST - 100],
      [NOISE, 200 - 100],
    ]);
    const [r, noise] = doc.results;
    expect(noise.grid).toEqual(r.grid);
    expect([noise.temperature, noise.epsilon]).toEqual([r.temperature, r.epsilon]);
    expect(Object.keys(r)).toEqual(['out', 'nOut', 'temperature', 'epsilon', 'baseline', 'odin', 'grid']);
    expect(r.grid).toHaveLength(210);
    expect(new Set(r.grid!.map((c) => c.temperature))).toEqual(new Set([1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]));
    const epsilons = [...new Set(r.grid!.map((c) => c.epsilon))].sort((a, b) => a - b);
    expect(epsilons).toHaveLength(21);
    epsilons.forEach((e, i) => expect(e).toBeCloseTo((0.004 * i) / 20, 10));
    const chosen = r.grid!.find((c) => c.temperature === r.temperature && c.epsilon === r.epsilon);
    expect(chosen).toBeDefined();
    const best = Math.min(...r.grid!.map((c) => c.fprAt95Tpr));
    expect(chosen!.fprAt95Tpr).toBe(best);
    const tied = r.grid!.filter((c) => c.fprAt95Tpr === best);
    expect(chosen!.auroc).toBe(Math.max(...tied.map((c) => c.auroc)));
    expectMetrics(r.baseline);
    expectMetrics(r.odin);
    expect(run.stderr).toMatch(/search T=\d+/);
  });
});

describe('odin exit codes', () => {
  const base = ['eval', '--model', MODEL, '--in', '__FM__', '--out', NOISE];
  const args = (...extra: string[]) => [...base.map((a) => (a === '__FM__' ? fm : a)), ...extra];

  it('exits 2 on usage errors, with nothing on stdout', async () => {
    const cases: [string, string[]][] = [
      ['missing --out', ['eval', '--model', MODEL, '--in', fm]],
      ['--search with --temperature', args('--search', '--temperature', '10')],
      ['--search with --epsilon', args('--search', '--epsilon', '0.001')],
      ['--epsilon and its old name --magnitude', args('--epsilon', '0.001', '--magnitude', '0.001')],
      ['--batch 0', args('--batch', '0')],
      ['--batch abc', args('--batch', 'abc')],
      ['--batch 2.5', args('--batch', '2.5')],
      ['--temperature 0', args('--temperature', '0')],
      ['--val without --search', args('--val', '10')],
      ['--val as large as a set', args('--search', '--val', String(N_FM))],
      ['--tune-on a set not given', args('--search', '--val', '10', '--tune-on', 'mnist')],
      ['unknown backend', args('--backend', 'tpu')],
      ['--mean with the wrong channel count', args('--mean', '0.1,0.2,0.3')],
      ['--std 0', args('--std', '0')],
      ['metrics without --out', ['metrics', '--in', MODEL]],
    ];
    const runs = await odinAll(cases.map(([, a]) => a));
    runs.forEach((run, i) => {
      expect(run.code, `${cases[i][0]}: ${run.stderr}`).toBe(2);
      expect(run.stdout, cases[i][0]).toBe('');
      expect(run.stderr.trim(), cases[i][0]).not.toBe('');
    });
  });

  it('exits 3 on unusable input files', async () => {
    const garbage = join(dir, 'garbage.txt');
    await writeFile(garbage, 'these are\nnot scores\n');
    const cases: [string, string[], RegExp][] = [
      ['a model file that is not ONNX', ['eval', '--model', fm, '--in', fm, '--out', NOISE], /not a readable ONNX model/],
      ['a missing model file', ['eval', '--model', join(dir, 'nope.onnx'), '--in', fm, '--out', NOISE], /nope\.onnx/],
      ['a missing dataset file', args('--out', join(dir, 'missing.npy')), /missing\.npy/],
      ['a garbage score file', ['metrics', '--in', garbage, '--out', garbage], /garbage\.txt: score file line 1/],
      ['a missing score file', ['metrics', '--in', join(dir, 'none.txt'), '--out', garbage], /none\.txt/],
    ];
    const runs = await odinAll(cases.map(([, a]) => a));
    runs.forEach((run, i) => {
      expect(run.code, `${cases[i][0]}: ${run.stderr}`).toBe(3);
      expect(run.stderr, cases[i][0]).toMatch(cases[i][2]);
      expect(run.stdout, cases[i][0]).toBe('');
    });
  });
});
