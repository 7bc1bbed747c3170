// `odin eval --input NAME`: the named input is the image, for the noise sets' shape and for the compiler.
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

describe('odin eval --input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'odin-eval-input-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const odin = (...args: string[]) => spawnSync(process.execPath, [join(ENGINE, 'bin/odin.js'), ...args], { encoding: 'utf8', timeout: 120_000 });

  it('scores the named image input, with noise sets shaped like it', () => {
    const path = join(dir, 'two.onnx');
    writeFileSync(path, writeModel(twoInputs()));
    const run = odin('eval', '--model', path, '--input', 'x', '--in', 'uniform:30:1', '--out', 'gaussian:30:2', '--json', '--no-progress');
    expect(run.status, run.stderr).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.input).toEqual({ name: 'x', shape: '[N,1,4,4]', layout: 'NCHW' });
    expect(json.nIn ?? json.n_in).toBe(30);
  });

  it('names the inputs when the one given does not exist', () => {
    const path = join(dir, 'two.onnx');
    writeFileSync(path, writeModel(twoInputs()));
    const run = odin('eval', '--model', path, '--input', 'image0', '--in', 'uniform:4', '--out', 'gaussian:4', '--no-progress');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('the model has no input "image0"; its inputs are: aux, x');
  });
});
