// The core bundles for the browser with vite (library mode): nothing in it resolves to a Node module,
// and the check does fail on an entry that reaches one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Plugin, Rollup } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Vite would otherwise stub a Node module out with a warning ("externalized for browser compatibility"). */
const refuseNodeModules: Plugin = {
  name: 'refuse-node-modules',
  enforce: 'pre',
  resolveId(source, importer) {
    if (isBuiltin(source)) this.error(`${importer} imports the Node module "${source}"`);
  },
};

async function bundleForBrowser(entry: Record<string, string>): Promise<Rollup.OutputChunk[]> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [refuseNodeModules],
    build: { lib: { entry, formats: ['es'] }, write: false, minify: false },
  });
  return (Array.isArray(out) ? out : [out as Rollup.RollupOutput]).flatMap((o) => o.output.filter((c) => c.type === 'chunk'));
}

describe('browser bundle of the engine core', () => {
  const dir = mkdtempSync(join(tmpdir(), 'odin-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds index.ts and runtime/web.ts with no Node import', async () => {
    const chunks = await bundleForBrowser({ index: join(SRC, 'index.ts'), web: join(SRC, 'runtime/web.ts') });
    expect(chunks.map((c) => c.fileName)).toEqual(expect.arrayContaining(['index.js', 'web.js']));
    for (const c of chunks) {
      expect(c.imports.filter((i) => isBuiltin(i))).toEqual([]);
      expect(c.code).not.toContain('__vite-browser-external');
    }
    expect(chunks.find((c) => c.fileName === 'index.js')!.exports).toEqual(expect.arrayContaining(['compileOdin', 'evaluate', 'computeOodMetrics']));
  }, 120_000);

  it('fails on an entry that reaches the Node side of the engine', async () => {
    const entry = join(dir, 'bad.ts');
    writeFileSync(entry, `export { openDataset } from ${JSON.stringify(join(SRC, 'data/index.ts'))};\n`);
    await expect(bundleForBrowser({ bad: entry })).rejects.toThrow(/data\/.*imports the Node module "node:/);
  }, 120_000);
});
