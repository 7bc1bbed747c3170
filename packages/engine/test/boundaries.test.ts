// The lint rules that keep the engine's core browser-safe: a core file importing the Node side of the engine
// (by relative path or package export) or a Node module fails lint; the Node side itself may.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(file: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import * as m from '${specifier}';\nexport const x = m;\n`, { filePath: `packages/engine/src/${file}` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('engine core boundaries', () => {
  it.each([
    ['evaluate/new.ts', '../data/index.ts'],
    ['odin/new.ts', '../data'],
    ['autodiff/rules/new.ts', '../../data/mnist.ts'],
    ['graph/new.ts', '../cli/main.ts'],
    ['metrics/new.ts', '../runtime/node.ts'],
    ['runtime/web.ts', './node.ts'],
    ['index.ts', './node.ts'],
    ['preprocess/new.ts', '@odin/engine/node'],
    ['train/new.ts', 'node:fs'],
    ['runtime/session.ts', 'fs/promises'],
    ['evaluate/new.ts', 'path'],
    ['preprocess/new.ts', 'worker_threads'],
    ['preprocess/new.ts', 'sharp'],
    ['runtime/web.ts', 'onnxruntime-node'],
  ])('%s may not import %s', async (file, specifier) => {
    expect(await restrictedImports(file, specifier)).toHaveLength(1);
  }, 60_000);

  it.each([
    ['evaluate/new.ts', '../graph/ir.ts'],
    ['runtime/web.ts', './session.ts'],
    ['runtime/web.ts', 'onnxruntime-web'],
    ['data/new.ts', 'node:fs'],
    ['runtime/node.ts', 'onnxruntime-node'],
    ['cli/new.ts', '../data/index.ts'],
  ])('%s may import %s', async (file, specifier) => {
    expect(await restrictedImports(file, specifier)).toEqual([]);
  }, 60_000);
});
