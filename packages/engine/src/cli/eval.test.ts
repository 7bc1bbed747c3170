// `odin eval --input NAME`: the named input is the image, for the noise sets' shape and for the compiler;
// `odin eval --search id-only`: ε chosen from held-out in-distribution images alone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder.ts';
import { emptyGraph } from '../graph/ir.ts';
import { newModel, writeModel } from '../graph/onnx-io.ts';
import { f32 } from '../graph/tensor.ts';

const ENGINE = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A float input `aux` [N,5,2] listed first, that the logits ignore, and the image `x` [N,1,4,4] → Flatten → MatMul → [N,3]. */
function twoInputs() {
  const g = emptyGraph('two');
  g.inputs.push({ name: 'aux', dtype: 'float32', shape: ['N', 5, 2] }, { name: 'x', dtype: 'float32', shape: ['N', 1, 4, 4] });
  const b = new GraphBuilder(g, 17);
  b.node('MatMul', [b.op('Flatten', ['x'], { axis: 1 }), b.constant(f32(Array.from({ length: 48 }, (_, i) => Math.sin(i)), [16, 3]))], {}, ['logits']);
  b.node('Identity', ['aux'], {}, ['aux_out']);
  g.outputs.push({ name: 'logits', dtype: 'float32', shape: ['N', 3] }, { name: 'aux_out', dtype: 'float32', shape: ['N', 5, 2] });
  return newModel(g, 17);
}

const dir = mkdtempSync(join(tmpdir(), 'odin-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const odin = (...args: string[]) => spawnSync(process.execPath, [join(ENGINE, 'bin/odin.js'), ...args], { encoding: 'utf8', timeout: 120_000 });

describe('odin eval --input', () => {
  it('scores the named image input, with noise sets shaped like it', () => {
    const path = join(dir, 'two.onnx');
    writeFileSync(path, writeModel(twoInputs()));
    const run = odin('eval', '--model', path, '--input', 'x', '--in', 'uniform:30:1', '--out', 'gaussian:30:2', '--json', '--no-progress');
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.input).toEqual({ name: 'x', shape: '[N,1,4,4]', layout: 'NCHW' });
    expect(json.nIn).toBe(30);
  });

  it('names the inputs when the one given does not exist', () => {
    const path = join(dir, 'two.onnx');
    writeFileSync(path, writeModel(twoInputs()));
    const run = odin('eval', '--model', path, '--input', 'image0', '--in', 'uniform:4', '--out', 'gaussian:4', '--no-progress');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('the model has no input "image0"; its inputs are: aux, x');
  });
});

describe('odin eval --search id-only', () => {
  const path = join(dir, 'search.onnx');
  writeFileSync(path, writeModel(twoInputs()));
  const search = (...args: string[]) => odin('eval', '--model', path, '--input', 'x', '--in', 'uniform:30:1', '--out', 'gaussian:20:2', '--val', '10', '--no-progress', ...args);

  it('picks the ε with the highest mean in-distribution score at T = 1000 (or --temperature), and tests the whole OOD set', () => {
    const run = search('--search', 'id-only', '--json');
    expect(run.status, run.stderr).toBe(0);
    const [r] = JSON.parse(run.stdout).results;
    const cells: { temperature: number; epsilon: number; meanScore: number }[] = r.idGrid;
    expect(cells).toHaveLength(21);
    const best = cells.reduce((a, c) => (c.meanScore > a.meanScore ? c : a));
    expect([r.temperature, r.epsilon, r.nOut]).toEqual([1000, best.epsilon, 20]);
    expect(r.grid).toBeUndefined();
    const atTen = JSON.parse(search('--search', 'id-only', '--temperature', '10', '--json').stdout).results[0];
    expect(atTen.idGrid.every((c: { temperature: number }) => c.temperature === 10)).toBe(true);
  });

  it('refuses --epsilon (or its old name --magnitude) and an unknown mode', () => {
    expect(search('--search', 'id-only', '--epsilon', '0.001').stderr).toContain('--search id-only chooses ε itself');
    expect(search('--search', 'id-only', '--magnitude', '0.001').stderr).toContain('--search id-only chooses ε itself');
    const bad = search('--search', 'ood-only');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/ood-validation, id-only/);
  });

  it('keeps the paper search for a bare --search', () => {
    const run = search('--search', '--json');
    expect(run.status, run.stderr).toBe(0);
    const [r] = JSON.parse(run.stdout).results;
    expect(r.grid).toHaveLength(210);
    expect(r.idGrid).toBeUndefined();
  });
});

describe('odin eval --spin', () => {
  it('scores exactly as with sleeping threads', () => {
    const path = join(dir, 'two-spin.onnx');
    writeFileSync(path, writeModel(twoInputs()));
    const args = ['eval', '--model', path, '--input', 'x', '--in', 'uniform:30:1', '--out', 'gaussian:30:2', '--threads', '2', '--json', '--no-progress'];
    const [sleeping, spinning] = [odin(...args), odin(...args, '--spin')];
    expect(spinning.status, spinning.stderr).toBe(0);
    const results = JSON.parse(spinning.stdout).results;
    expect(results).toBeDefined();
    expect(results).toEqual(JSON.parse(sleeping.stdout).results);
  });
});
