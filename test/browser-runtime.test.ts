// End to end: the compiled ODIN graph of the demo model runs in headless Chromium on onnxruntime-web's WASM and
// WebGPU backends and matches onnxruntime-node's CPU output.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import type * as OrtWeb from 'onnxruntime-web';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOdin, mulberry32, ODIN_IO, readModel, writeModel } from '@odin/engine';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const ORT_DIST = join(ROOT, 'node_modules/onnxruntime-web/dist');
const DEMO = join(ROOT, 'packages/engine/demo/fashion-mnist-small-cnn.onnx');
const SIZE = 28;
// NOTE: at T = 1000 every ODIN score sits within ~1e-3 of 1/K and ε moves it by only ~1e-5..1e-4, about the WebGPU
// tolerance; T = 1 (ε moves the scores by ~1e-2) makes the comparison of the perturbation step a real one.
const TEMPERATURES = [1000, 1];
const EPSILON = [0, 0.0014, 0.004];
const TOLERANCE = { wasm: 1e-5, webgpu: 1e-4 } as const;
const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream' };

const PAGE = `<!doctype html><meta charset="utf-8"><title>odin</title>
<script type="module">
  import * as ort from '/ort/ort.webgpu.min.mjs';
  ort.env.wasm.wasmPaths = location.origin + '/ort/';
  ort.env.wasm.numThreads = 1;
  window.ort = ort;
</script>`;

interface Scores {
  logits: number[];
  msp: number[];
  odin: number[];
  prediction: number[];
}

interface BrowserRun {
  /** One per temperature. */
  runs: Scores[];
  error?: string;
  adapter?: string;
  /** Whether onnxruntime-web set up its WebGPU device (ort.env.webgpu.device) for the session. */
  webgpuDevice?: boolean;
}

/** Four 28×28 images in [0, 1]: constant grey, seeded noise, a bright square on black, a horizontal gradient. */
function images(): Float32Array {
  const n = SIZE * SIZE;
  const x = new Float32Array(4 * n);
  const rand = mulberry32(7);
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / SIZE);
    const c = i % SIZE;
    x[i] = 0.5;
    x[n + i] = rand();
    x[2 * n + i] = r >= 8 && r < 20 && c >= 8 && c < 20 ? 1 : 0;
    x[3 * n + i] = c / (SIZE - 1);
  }
  return x;
}

/** Serves the page, onnxruntime-web's dist files under /ort/ and the compiled model at /model.onnx. */
function serve(model: Uint8Array): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const send = (body: string | Uint8Array, ext: string) => {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream' });
      res.end(body);
    };
    if (path === '/') return send(PAGE, '.html');
    if (path === '/model.onnx') return send(model, '.onnx');
    const file = path.startsWith('/ort/') ? join(ORT_DIST, path.slice(5)) : '';
    if (!file.startsWith(ORT_DIST + '/') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    readFile(file).then((body) => send(body, extname(file)), () => res.writeHead(500).end());
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

/** Runs the served model in the page on one onnxruntime-web execution provider, once per temperature. */
function runInPage(page: Page, backend: 'wasm' | 'webgpu', x: Float32Array): Promise<BrowserRun> {
  return page.evaluate(
    async ({ backend, x, temperatures, epsilon, size }): Promise<BrowserRun> => {
      const ort = (window as unknown as { ort: typeof OrtWeb }).ort;
      let adapter: string | undefined;
      if (backend === 'webgpu') {
        if (!('gpu' in navigator)) return { runs: [], error: 'navigator.gpu is missing: this Chromium offers no WebGPU' };
        const gpu = (navigator as unknown as { gpu: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }).gpu;
        const found = await gpu.requestAdapter();
        if (!found) return { runs: [], error: 'navigator.gpu.requestAdapter() returned null: no WebGPU adapter' };
        const info = found.info ?? {};
        adapter = ['vendor', 'architecture', 'device', 'description'].map((k) => info[k]).filter(Boolean).join(' / ');
      }
      try {
        const model = new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer());
        const session = await ort.InferenceSession.create(model, { executionProviders: [backend] });
        const webgpuDevice = backend === 'webgpu' ? Boolean(await ort.env.webgpu.device) : undefined;
        const n = x.length / (size * size);
        const runs: Scores[] = [];
        for (const t of temperatures) {
          const out = await session.run({
            image: new ort.Tensor('float32', Float32Array.from(x), [n, 1, size, size]),
            temperature: new ort.Tensor('float32', Float32Array.from([t]), [1]),
            epsilon: new ort.Tensor('float32', Float32Array.from(epsilon), [epsilon.length]),
          });
          const floats = (name: string) => Array.from(out[name].data as Float32Array);
          runs.push({ logits: floats('logits'), msp: floats('msp'), odin: floats('odin'), prediction: Array.from(out.prediction.data as BigInt64Array, Number) });
        }
        await session.release();
        return { runs, adapter, webgpuDevice };
      } catch (e) {
        return { runs: [], adapter, error: String((e as Error).stack ?? e) };
      }
    },
    { backend, x: Array.from(x), temperatures: TEMPERATURES, epsilon: EPSILON, size: SIZE },
  );
}

/** The same graph and inputs on onnxruntime-node's CPU provider: the reference. */
async function runOnNode(model: Uint8Array, x: Float32Array): Promise<Scores[]> {
  const session = await ortNode.InferenceSession.create(model, { executionProviders: ['cpu'] });
  const runs: Scores[] = [];
  for (const t of TEMPERATURES) {
    const out = await session.run({
      [ODIN_IO.inputs.image]: new ortNode.Tensor('float32', x, [x.length / (SIZE * SIZE), 1, SIZE, SIZE]),
      [ODIN_IO.inputs.temperature]: new ortNode.Tensor('float32', Float32Array.from([t]), [1]),
      [ODIN_IO.inputs.epsilon]: new ortNode.Tensor('float32', Float32Array.from(EPSILON), [EPSILON.length]),
    });
    const floats = (name: string) => Array.from(out[name].data as Float32Array);
    runs.push({ logits: floats('logits'), msp: floats('msp'), odin: floats('odin'), prediction: Array.from(out.prediction.data as BigInt64Array, Number) });
  }
  await session.release();
  return runs;
}

const maxAbsDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.skipIf(!existsSync(CHROMIUM))(`ODIN graph in headless Chromium (needs ${CHROMIUM}; .ci/run installs it)`, () => {
  const x = images();
  let expected: Scores[];
  let server: Server;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const { model } = compileOdin(readModel(new Uint8Array(await readFile(DEMO))));
    const bytes = writeModel(model);
    expected = await runOnNode(bytes, x);
    // Not vacuous: at T = 1 the largest ε moves some ODIN score by far more than the tolerances.
    const { odin } = expected[TEMPERATURES.indexOf(1)];
    expect(Math.max(...odin.map((v, i) => Math.abs(v - odin[i - (i % EPSILON.length)])))).toBeGreaterThan(1e-2);

    server = await serve(bytes);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu'],
    });
    page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'ort' in window, undefined, { timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => (server ? server.close(done) : done(undefined)));
  });

  it.each(['wasm', 'webgpu'] as const)('matches onnxruntime-node CPU on %s', async (backend) => {
    const started = performance.now();
    const got = await runInPage(page, backend, x);
    expect(got.error, `onnxruntime-web ${backend} failed`).toBeUndefined();
    if (backend === 'webgpu') expect(got.webgpuDevice, 'onnxruntime-web set up no WebGPU device').toBe(true);
    expect(got.runs).toHaveLength(TEMPERATURES.length);
    const ms = Math.round(performance.now() - started);
    console.log(`${backend} (${ms} ms${got.adapter ? `, adapter ${got.adapter}` : ''}):`);
    got.runs.forEach((run, i) => {
      const want = expected[i];
      const diff = { logits: maxAbsDiff(run.logits, want.logits), msp: maxAbsDiff(run.msp, want.msp), odin: maxAbsDiff(run.odin, want.odin) };
      console.log(`  T=${TEMPERATURES[i]}: max |Δlogits| ${diff.logits.toExponential(2)}, |Δmsp| ${diff.msp.toExponential(2)}, |Δodin| ${diff.odin.toExponential(2)}`);
      expect(run.msp).toHaveLength(want.msp.length);
      expect(run.odin).toHaveLength(want.odin.length);
      expect(run.prediction).toEqual(want.prediction);
      // Logits are O(1..10): the same tolerance, relative to their scale.
      expect(diff.logits).toBeLessThanOrEqual(TOLERANCE[backend] * Math.max(1, ...want.logits.map(Math.abs)));
      expect(diff.msp).toBeLessThanOrEqual(TOLERANCE[backend]);
      expect(diff.odin).toBeLessThanOrEqual(TOLERANCE[backend]);
    });
  }, 90_000);
});
