// End to end in Chromium: the spot check scores dropped PNGs in the browser (WASM, then WebGPU on SwiftShader) and its
// scores and verdicts equal `odin eval`'s on the same files; no image byte leaves the page before Add to dataset, and no
// request goes to another origin; JPEG/WebP decoding is compared with the server's; ms per image is logged.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { toModelInput } from '@odin/engine';
import { decodeImage, openDataset } from '@odin/engine/node';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, uploadId, waitForRun } from '../../api/test/support/api-process.ts';
import { writeNpy } from '../../api/test/support/data.ts';
import { launchBrowser, openPage, type WatchedPage } from './support/browser.ts';
import { startStack, type Stack } from './support/stack.ts';

const ENGINE = fileURLToPath(new URL('../../../packages/engine/', import.meta.url));
const DEMO_MODEL = join(ENGINE, 'demo/fashion-mnist-small-cnn.onnx');
const TOLERANCE = 1e-4;
/** A Fashion-MNIST test item and an MNIST digit, both outside the run's first 600 (the digit is one ODIN finds OOD; noise, this model takes for clothes). */
const IN_INDEX = 700;
const OUT_INDEX = 644;
const FILES = { in: 'fashion-700.png', out: 'mnist-644.png' } as const;

interface ServerScore {
  msp: number;
  odin: number;
}

interface SpotRow {
  file: string;
  backend: string | null;
  prediction: string | null;
  msp: number;
  odin: number;
  verdict: string | null;
}

let stack: Stack;
let dir: string;
const ids: { model?: string; run?: string } = {};
let run: { threshold: number; temperature: number; epsilon: number };
const server: Record<string, ServerScore> = {};
const paths: Record<string, string> = {};
const browsers: { wasm?: Browser; webgpu?: Browser } = {};

async function item(spec: string, index: number): Promise<Uint8Array> {
  const ds = await openDataset(spec);
  for await (const batch of ds.batches({ start: index, batchSize: 1 })) return Uint8Array.from(batch[0].image.pixels, (p) => Math.round(p * 255));
  throw new Error(`${spec} has no item ${index}`);
}

const grey = (pixels: Uint8Array) => sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } });

/** Scores folders with the CLI (`odin eval`): per file, the baseline and ODIN scores in the reference format. */
async function odinEval(inDir: string, outDir: string, temperature: number, epsilon: number): Promise<{ in: ServerScore[]; out: ServerScore[] }> {
  const scores = join(dir, `scores-${Math.random().toString(36).slice(2)}`);
  await promisify(execFile)(process.execPath, [join(ENGINE, 'bin/odin.js'), 'eval', '--model', DEMO_MODEL, '--in', inDir, '--out', outDir, '--temperature', String(temperature), '--epsilon', String(epsilon), '--scores', scores, '--json'], { cwd: ENGINE });
  const index = JSON.parse(await readFile(join(scores, 'index.json'), 'utf8')) as { role: 'in' | 'out'; files: { baseline: string; odin: string } }[];
  const column = async (file: string) => (await readFile(join(scores, file), 'utf8')).trim().split('\n').map((line) => Number(line.split(',')[2]));
  const read = async (role: 'in' | 'out') => {
    const entry = index.find((e) => e.role === role)!;
    const [msp, odin] = [await column(entry.files.baseline), await column(entry.files.odin)];
    return msp.map((m, i) => ({ msp: m, odin: odin[i] }));
  };
  return { in: await read('in'), out: await read('out') };
}

interface Logged {
  url: string;
  method: string;
  /** The body as Chromium reports it; null when there is none, or it is a Blob Chromium does not show. */
  body: Buffer | null;
  at: number;
}

/** Every request of the page and its workers. */
function networkLog(page: Page): Logged[] {
  const log: Logged[] = [];
  page.context().on('request', (r: Request) => log.push({ url: r.url(), method: r.method(), body: r.postDataBuffer(), at: Date.now() }));
  return log;
}

/** Requests that could carry image bytes: all but GETs and the /graphql POSTs whose (readable, JSON) body holds none of the images' bytes or pixels. */
function couldCarryImages(log: Logged[], images: Uint8Array[]): Logged[] {
  const needles = images.map((img) => Buffer.from(img.subarray(0, 64)));
  return log.filter((r) => {
    if (r.method === 'GET' || r.method === 'HEAD') return false;
    if (!r.url.endsWith('/graphql') || !r.body) return true;
    const text = r.body.toString('utf8');
    return needles.some((n) => r.body!.indexOf(n) >= 0 || text.includes(n.toString('base64').slice(0, 40)));
  });
}

async function rows(page: Page, count: number): Promise<SpotRow[]> {
  await page.locator('[data-testid=spot-result][data-odin]').nth(count - 1).waitFor({ timeout: 240_000 });
  return page.locator('[data-testid=spot-result]').evaluateAll((els) =>
    els.map((e) => ({
      file: e.getAttribute('data-file')!,
      backend: e.getAttribute('data-backend'),
      prediction: e.getAttribute('data-prediction'),
      msp: Number(e.getAttribute('data-msp')),
      odin: Number(e.getAttribute('data-odin')),
      verdict: e.getAttribute('data-verdict'),
    })),
  );
}

async function openSpotCheck(browser: Browser, query: string): Promise<WatchedPage> {
  const watched = await openPage(browser);
  await watched.page.goto(`${stack.web.url}/spot-check${query}`);
  await watched.page.locator('[data-engine=ready], [data-engine=failed]').waitFor({ timeout: 240_000 });
  const failed = await watched.page.locator('[data-engine=failed]').count();
  expect(failed ? await watched.page.locator('[data-engine=failed]').textContent() : '').toBe('');
  return watched;
}

/** Drops 32 more Fashion-MNIST PNGs and logs the page's ms per image after warm-up (not asserted: timing belongs in benchmarks). */
async function logLatency(page: Page, backend: string) {
  const batch: string[] = [];
  for (let i = 0; i < 32; i++) {
    const path = join(dir, `batch-${i}.png`);
    await grey(await item('fashion-mnist:test', 1000 + i)).png().toFile(path);
    batch.push(path);
  }
  const before = await page.locator('[data-testid=spot-result]').count();
  await page.locator('input[type=file]').first().setInputFiles(batch);
  await rows(page, before + batch.length);
  const engine = page.locator('[data-engine=ready]');
  console.log(`${backend}: ${await engine.getAttribute('data-ms-per-image')} ms per image after warm-up over ${before + batch.length} images (${await engine.textContent()})`);
}

function expectServerScores(got: SpotRow[], backend: string) {
  for (const [role, file] of Object.entries(FILES)) {
    const row = got.find((r) => r.file === file)!;
    const want = server[role];
    expect(row, file).toBeDefined();
    expect(row.backend, file).toBe(backend);
    expect(Math.abs(row.msp - want.msp), `${file} msp ${row.msp} vs ${want.msp}`).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(row.odin - want.odin), `${file} odin ${row.odin} vs ${want.odin}`).toBeLessThanOrEqual(TOLERANCE);
    expect(row.verdict, file).toBe(want.odin >= run.threshold ? 'in' : 'out');
    expect(row.prediction).toMatch(/^[A-Z]/);
  }
}

beforeAll(async () => {
  stack = await startStack();
  dir = stack.dataDir;
  const api = stack.api.url;
  const model = await data<{ registerModel: { id: string } }>(api, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "demo cnn" }) { id } }', { u: await uploadId(api, await readFile(DEMO_MODEL)) });
  ids.model = model.registerModel.id;
  const sets: string[] = [];
  for (const [spec, name] of [['fashion-mnist:test', 'fashion-600'], ['mnist', 'mnist-600']]) {
    const file = await writeNpy(dir, spec, 600, `${name}.npy`);
    const d = await data<{ registerDataset: { id: string } }>(api, 'mutation($u: ID!, $n: String!) { registerDataset(input: { uploadId: $u, name: $n }) { id } }', { u: await uploadId(api, await readFile(file)), n: name });
    sets.push(d.registerDataset.id);
  }
  const started = await data<{ startRun: { id: string } }>(api, 'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b] }) { id } }', { m: ids.model, a: sets[0], b: sets[1] });
  ids.run = started.startRun.id;
  expect((await waitForRun(api, ids.run)).status).toBe('SUCCEEDED');
  const { run: r } = await data<{ run: { results: { threshold: number; temperature: number; epsilon: number }[] } }>(api, 'query($id: ID!) { run(id: $id) { results { threshold temperature epsilon } } }', { id: ids.run });
  run = r.results[0];

  for (const role of ['in', 'out'] as const) await mkdir(join(dir, role), { recursive: true });
  paths.in = join(dir, 'in', FILES.in);
  paths.out = join(dir, 'out', FILES.out);
  await grey(await item('fashion-mnist:test', IN_INDEX)).png().toFile(paths.in);
  await grey(await item('mnist', OUT_INDEX)).png().toFile(paths.out);
  const scored = await odinEval(join(dir, 'in'), join(dir, 'out'), run.temperature, run.epsilon);
  server.in = scored.in[0];
  server.out = scored.out[0];
  // Not vacuous: the two images fall on either side of the run's threshold, by more than the tolerance.
  expect(server.in.odin - run.threshold).toBeGreaterThan(TOLERANCE);
  expect(run.threshold - server.out.odin).toBeGreaterThan(TOLERANCE);

  // Without the flag this Chromium offers no WebGPU adapter (the WASM fallback); with it, SwiftShader's.
  browsers.wasm = await launchBrowser();
  browsers.webgpu = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu'],
  });
}, 600_000);

afterAll(async () => {
  await browsers.wasm?.close();
  await browsers.webgpu?.close();
  await stack?.stop();
});

describe('the spot check in Chromium against the real API', () => {
  it('scores two PNGs on WASM (no WebGPU) as `odin eval` does, sending nothing before Add to dataset', async () => {
    const bytes = [new Uint8Array(await readFile(paths.in)), new Uint8Array(await readFile(paths.out))];
    const watched = await openPage(browsers.wasm!);
    const { page } = watched;
    const log = networkLog(page);
    await page.goto(`${stack.web.url}/spot-check?model=${ids.model}&run=${ids.run}`);
    await page.locator('[data-engine=ready]').waitFor({ timeout: 240_000 });
    await expect(page.locator('[data-engine-backend]').getAttribute('data-engine-backend')).resolves.toBe('wasm');
    await expect(page.locator('[data-threshold]').getAttribute('data-threshold')).resolves.toBe(String(run.threshold));
    // The drop zone's input is the page's first file input, and takes many files.
    const first = page.locator('input[type=file]').first();
    await expect(first.getAttribute('multiple')).resolves.not.toBeNull();
    await expect(page.locator('input[type=file]').nth(1).getAttribute('capture')).resolves.toBe('environment');
    await first.setInputFiles([paths.in, paths.out]);
    const got = await rows(page, 2);
    console.log('wasm:', JSON.stringify(got), 'server:', JSON.stringify(server), 'threshold:', run.threshold);
    expectServerScores(got, 'wasm');
    await expect(page.locator('[data-model-view="28x28x1"]').count()).resolves.toBe(2);
    await watched.screenshot('spot-check');

    const origin = new URL(stack.web.url).origin;
    expect(log.filter((r) => !r.url.startsWith(origin) && !/^(data|blob):/.test(r.url)).map((r) => r.url)).toEqual([]);
    expect(couldCarryImages(log, bytes).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(log.some((r) => r.url.endsWith('/ort/ort-wasm-simd-threaded.asyncify.wasm')), 'ort .wasm from the app').toBe(true);

    const pressed = Date.now();
    await page.locator('[data-add-to-dataset]').click();
    const report = page.locator('[data-spot-dataset]');
    await report.waitFor({ timeout: 60_000 });
    const { dataset } = await data<{ dataset: { itemCount: number; rejected: unknown[] } }>(stack.api.url, 'query($id: ID!) { dataset(id: $id) { itemCount rejected { entry } } }', { id: await report.getAttribute('data-spot-dataset') });
    expect(dataset).toEqual({ itemCount: 2, rejected: [] });
    const uploads = log.filter((r) => r.url.endsWith('/v1/uploads'));
    expect(uploads).toHaveLength(1);
    expect(uploads[0].at).toBeGreaterThanOrEqual(pressed);
    // What was uploaded is the two images: the dataset's items are their pixels (entries in name order).
    const datasetId = await report.getAttribute('data-spot-dataset');
    const items = [];
    for (const i of [0, 1]) items.push(await decodeImage(new Uint8Array(await (await fetch(`${stack.api.url}/v1/datasets/${datasetId}/items/${i}.png`)).arrayBuffer())));
    const sent = await Promise.all([paths.in, paths.out].map(async (p) => decodeImage(new Uint8Array(await readFile(p)))));
    expect(items.map((x) => Array.from(x.pixels)).sort()).toEqual(sent.map((x) => Array.from(x.pixels)).sort());
    await logLatency(page, 'wasm');
    expect(watched.problems).toEqual([]);
  });

  it('scores the same PNGs on WebGPU (SwiftShader) as `odin eval` does', async () => {
    const { page, problems } = await openSpotCheck(browsers.webgpu!, `?model=${ids.model}&run=${ids.run}`);
    await expect(page.locator('[data-engine-backend]').getAttribute('data-engine-backend')).resolves.toBe('webgpu');
    await page.locator('input[type=file]').first().setInputFiles([paths.in, paths.out]);
    const got = await rows(page, 2);
    console.log('webgpu:', JSON.stringify(got));
    expectServerScores(got, 'webgpu');
    await logLatency(page, 'webgpu');
    expect(problems.filter((p) => !/WebGPU|powerPreference/i.test(p))).toEqual([]);
  });

  it('compiles the same graph in the browser as the server; without a run, T = 1000, ε = 0.0014 and no verdict; paste; a broken file', async () => {
    const { page, problems } = await openSpotCheck(browsers.wasm!, `?model=${ids.model}`);
    await page.locator('[data-no-run]').waitFor();
    const serverSha = await page.locator('[data-graph-sha256]').getAttribute('data-graph-sha256');
    await page.locator('[data-field=spot-compile]').check();
    await page.locator(`[data-engine=ready]:not([data-graph-sha256="${serverSha}"])`).waitFor({ timeout: 5_000 }).catch(() => undefined);
    await page.locator('[data-engine=ready]').waitFor({ timeout: 240_000 });
    await expect(page.locator('[data-graph-sha256]').getAttribute('data-graph-sha256')).resolves.toBe(serverSha);
    await page.locator('input[type=file]').first().setInputFiles([paths.in, paths.out]);
    const got = await rows(page, 2);
    expect(got.map((r) => r.verdict)).toEqual([null, null]);
    for (const role of ['in', 'out'] as const) expect(Math.abs(got.find((r) => r.file === FILES[role])!.odin - server[role].odin)).toBeLessThanOrEqual(TOLERANCE);

    // A pasted image is scored like a dropped one; a file that is no image says so in its row.
    await page.evaluate(async (b64) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'pasted.png', { type: 'image/png' }));
      window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data }));
    }, (await readFile(paths.in)).toString('base64'));
    const pasted = (await rows(page, 3)).find((r) => r.file === 'pasted.png')!;
    expect(pasted.odin).toBe(got.find((r) => r.file === FILES.in)!.odin);
    await page.locator('input[type=file]').first().setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
    await expect(page.locator('[data-testid=spot-result][data-file="broken.png"] [data-spot-error]').textContent()).resolves.toMatch(/cannot decode broken\.png/);
    expect(problems).toEqual([]);
  });

  it('decodes JPEG and WebP within a measured tolerance of the server', async () => {
    const fashion = await item('fashion-mnist:test', IN_INDEX);
    // The grey item, and a colour version of it (chroma is where JPEG decoders can differ: subsampling, upsampling).
    const colour = sharp(Buffer.from(Array.from(fashion).flatMap((v, i) => [v, 255 - v, (37 * i) % 256])), { raw: { width: 28, height: 28, channels: 3 } });
    const files: { path: string; kind: string }[] = [];
    for (const [kind, source, ext, encode] of [
      ['grey jpeg', grey(fashion), 'jpg', (s: Sharp) => s.jpeg({ quality: 90 })],
      ['grey webp', grey(fashion), 'webp', (s: Sharp) => s.webp({ quality: 80 })],
      ['colour jpeg', colour, 'jpg', (s: Sharp) => s.jpeg({ quality: 90 })],
      ['colour webp', colour, 'webp', (s: Sharp) => s.webp({ quality: 80 })],
      ['png', grey(fashion), 'png', (s: Sharp) => s.png()],
    ] as const) {
      const path = join(dir, `${kind.replace(' ', '-')}.${ext}`);
      await writeFile(path, await encode(source.clone()).toBuffer());
      files.push({ path, kind });
    }
    const { page } = await openSpotCheck(browsers.wasm!, `?model=${ids.model}&run=${ids.run}`);
    await page.locator('input[type=file]').first().setInputFiles(files.map((f) => f.path));
    await rows(page, files.length);
    for (const { path, kind } of files) {
      const name = path.split('/').at(-1)!;
      const shown = await page.locator(`[data-testid=spot-result][data-file="${name}"] canvas`).evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, 28, 28).data.filter((_, i) => i % 4 === 0)));
      // The server's model input for the same file: sharp's decode, then the engine's channel conversion and resize.
      const fed = toModelInput([await decodeImage(new Uint8Array(await readFile(path)))], { layout: 'NCHW', channels: 1, height: 28, width: 28 });
      // The page draws its model input rounded to whole grey levels: up to ½ level of the difference is that rounding.
      const maxDiff = shown.reduce((m, v, i) => Math.max(m, Math.abs(v - 255 * fed[i])), 0);
      // And the decoders themselves: the browser's RGB bytes against sharp's, as whole levels.
      const bytes = await readFile(path);
      const browserRgb = await page.evaluate(async (b64) => {
        const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
        const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
        const context = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        return Array.from(context.getImageData(0, 0, bitmap.width, bitmap.height).data.filter((_, i) => i % 4 !== 3));
      }, bytes.toString('base64'));
      const sharpRgb = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer();
      const decoderDiff = browserRgb.reduce((m, v, i) => Math.max(m, Math.abs(v - sharpRgb[i])), 0);
      console.log(`${kind}: browser vs sharp decoder max |Δ| = ${decoderDiff} levels; model input max |Δ| = ${maxDiff.toFixed(2)} levels (the page shows it rounded, ±0.5)`);
      expect(browserRgb).toHaveLength(sharpRgb.length);
      expect(decoderDiff, kind).toBeLessThanOrEqual(kind === 'png' ? 0 : 2);
      expect(maxDiff, kind).toBeLessThanOrEqual(kind === 'png' ? 1e-3 : 2.5);
    }
  });
});
