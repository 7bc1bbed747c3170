// `odin train` end to end: a short run writes a standard ONNX classifier with odin:* metadata that odin compile accepts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModel } from '@odin/engine';
import { FASHION_MNIST_LABELS } from '@odin/engine/node';
import { describe, expect, it } from 'vitest';

const ODIN = join(import.meta.dirname, '../packages/engine/bin/odin.js');
const odin = (...args: string[]) => spawnSync(process.execPath, [ODIN, ...args], { encoding: 'utf8', cwd: join(import.meta.dirname, '..') });

describe('odin train', () => {
  it('trains, writes metadata, and the model compiles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'odin-train-'));
    const out = join(dir, 'm.onnx');
    const run = odin('train', '--data', 'fashion-mnist:train', '--arch', 'mlp', '--epochs', '1', '--limit', '1024', '--batch', '64', '--seed', '3', '--test', 'fashion-mnist:test', '-o', out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/epoch 1\/1 step 16\/16 loss [\d.]+ acc [\d.]+% \d+ img\/s/);
    const summary = JSON.parse(run.stdout);
    expect(summary.test_accuracy).toBeGreaterThan(0.5);
    expect(summary.images_per_second).toBeGreaterThan(0);
    const meta = readModel(new Uint8Array(readFileSync(out))).metadata;
    expect(JSON.parse(meta.get('odin:labels')!)).toEqual(FASHION_MNIST_LABELS);
    expect(meta.get('odin:layout')).toBe('NCHW');
    expect(meta.get('odin:dataset')).toBe('fashion-mnist:train');
    expect(Number(meta.get('odin:mean'))).toBeGreaterThan(0.2);
    expect(meta.get('odin:train')).toContain('--arch mlp --epochs 1 --seed 3');
    const compiled = odin('compile', out, '-o', join(dir, 'c.onnx'), '--json');
    expect(compiled.status, compiled.stderr).toBe(0);
    expect(JSON.parse(compiled.stdout).normalization.source).toBe('metadata');
  });

  it('reports bad arguments and inputs with the right exit codes', () => {
    expect(odin('train', '--data', 'no-such-set', '-o', '/tmp/x.onnx').status).toBe(3);
    expect(odin('train', '--data', 'uniform:10', '-o', '/tmp/x.onnx').status).toBe(3);
    expect(odin('train', '--data', 'fashion-mnist:train', '--arch', 'nope', '-o', '/tmp/x.onnx').status).toBe(2);
    expect(odin('train', '--data', 'fashion-mnist:train', '--lr', '-1', '-o', '/tmp/x.onnx').status).toBe(2);
  });
});
