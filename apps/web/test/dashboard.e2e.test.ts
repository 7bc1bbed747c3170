// End to end in Chromium: upload a model and two datasets through the pages, run, and read the metrics the API computed;
// filters and pages through the URL; the error paths; no console errors in any state; screenshots of every main page.
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { data, uploadId, waitForRun } from '../../api/test/support/api-process.ts';
import { writeNpy } from '../../api/test/support/data.ts';
import { launchBrowser, openPage, SCREENSHOTS, type WatchedPage } from './support/browser.ts';
import { startStack, type Stack } from './support/stack.ts';

const DEMO_MODEL = fileURLToPath(new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url));
const METRICS = ['fprAt95Tpr', 'detectionError', 'auroc', 'auprIn', 'auprOut'] as const;

interface ApiResult {
  outDatasetId: string;
  baseline: Record<(typeof METRICS)[number], number>;
  odin: Record<(typeof METRICS)[number], number>;
}

let stack: Stack;
let browser: Browser;
let watched: WatchedPage;
let page: Page;
const ids: { model?: string; inSet?: string; outSet?: string; run?: string } = {};

async function choose(p: Page, field: string, option: string | RegExp) {
  await p.locator(`[data-field=${field}]`).click();
  await p.getByRole('option', { name: option }).first().click();
}

/** The New run form on /runs with the demo model and the two uploaded sets chosen (their dropdowns closed again). */
async function openNewRunForm() {
  await page.goto(`${stack.web.url}/runs`);
  await page.locator('[data-new-run]').click();
  await choose(page, 'model', 'demo cnn');
  await choose(page, 'in', /^fashion-600/);
  await choose(page, 'ood', /^mnist-600/);
  await page.getByRole('dialog').getByText('Perturbation ε').click();
}

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  watched = await openPage(browser);
  page = watched.page;
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('the dashboard against the real API', () => {
  it('shows empty states that say what to do next', async () => {
    await page.goto(`${stack.web.url}/`);
    await page.waitForURL(/\/runs$/);
    await expect(page.locator('[data-empty-state]').textContent()).resolves.toContain('Upload a model');
    await page.locator('[data-api-status=up]').waitFor();
    await watched.screenshot('runs-empty');
    await page.goto(`${stack.web.url}/models`);
    await expect(page.locator('[data-empty-state]').textContent()).resolves.toContain('Upload a model to start');
    await page.goto(`${stack.web.url}/datasets`);
    await page.locator('[data-empty-state]').waitFor();
    expect(watched.problems).toEqual([]);
  });

  it('uploads a model through the page, pre-filled from inspectUpload', async () => {
    await page.goto(`${stack.web.url}/models`);
    await page.locator('[data-dropzone=model] input[type=file]').setInputFiles(DEMO_MODEL);
    const name = page.locator('[data-field=name]');
    await name.waitFor();
    await expect(page.getByLabel('Input size (H, W)').inputValue()).resolves.toBe('28, 28');
    await name.fill('demo cnn');
    await page.locator('[data-register-model]').click();
    await page.waitForURL(/\/models\/[0-9a-f-]{36}$/);
    ids.model = page.url().split('/').at(-1);
    await page.locator('[data-odin-compiles=true]').waitFor();
    await expect(page.locator('[data-chart=ops] .recharts-bar-rectangle').count()).resolves.toBeGreaterThan(3);
    await watched.screenshot('model');
  });

  it('uploads two datasets through the page and shows their thumbnails', async () => {
    const dir = stack.dataDir;
    const files = [await writeNpy(dir, 'fashion-mnist:test', 600, 'fashion-600.npy'), await writeNpy(dir, 'mnist', 600, 'mnist-600.npy')];
    for (const file of files) {
      await page.goto(`${stack.web.url}/datasets`);
      await page.locator('[data-dropzone=dataset] input[type=file]').setInputFiles(file);
      await page.locator('[data-register-dataset]').click();
      await expect(page.locator('[data-dataset-report]').textContent()).resolves.toContain('Imported 600 images');
    }
    const { datasets } = await data<{ datasets: { edges: { node: { id: string; name: string } }[] } }>(stack.api.url, '{ datasets { edges { node { id name } } } }');
    ids.inSet = datasets.edges.find((e) => e.node.name === 'fashion-600')!.node.id;
    ids.outSet = datasets.edges.find((e) => e.node.name === 'mnist-600')!.node.id;
    await page.goto(`${stack.web.url}/datasets/${ids.inSet}`);
    const thumb = page.locator('[data-thumbnails] img').first();
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(28);
    await watched.screenshot('dataset');
    await page.goto(`${stack.web.url}/datasets`);
    await page.locator('[data-datasets-table]').waitFor();
    await watched.screenshot('datasets');
  });

  it('starts a run from the form, follows its progress to 100%, and shows the API’s metrics with curves and histograms', async () => {
    await openNewRunForm();
    await page.locator('[data-submit-run]').click();
    const row = page.locator('[data-run-id]').first();
    await row.waitFor();
    ids.run = (await row.getAttribute('data-run-id'))!;
    await page.locator(`[data-run-id="${ids.run}"][data-status=SUCCEEDED][data-progress="1"]`).waitFor({ timeout: 240_000 });
    await watched.screenshot('runs');

    await page.locator(`[data-run-id="${ids.run}"] a`).first().click();
    await page.waitForURL(new RegExp(`/runs/${ids.run}$`));
    const panel = page.locator(`[data-result-panel="${ids.outSet}"]`);
    await panel.waitFor();
    const { run } = await data<{ run: { results: ApiResult[] } }>(
      stack.api.url,
      `query($id: ID!) { run(id: $id) { results { outDatasetId baseline { ${METRICS.join(' ')} } odin { ${METRICS.join(' ')} } } } }`,
      { id: ids.run },
    );
    expect(run.results).toHaveLength(1);
    for (const method of ['baseline', 'odin'] as const)
      for (const metric of METRICS) {
        const cell = panel.locator(`[data-metric=${metric}][data-method=${method}]`);
        expect(Number(await cell.getAttribute('data-value')), `${method} ${metric}`).toBe(run.results[0][method][metric]);
      }
    for (const chart of ['roc', 'pr-in', 'pr-out']) {
      const paths = panel.locator(`[data-chart=${chart}] path.recharts-line-curve`);
      await expect(paths.count()).resolves.toBe(2);
      for (const d of await paths.evaluateAll((els) => els.map((e) => e.getAttribute('d') ?? ''))) expect(d.split(/[ML]/).length, chart).toBeGreaterThan(20);
    }
    for (const chart of ['histogram-baseline', 'histogram-odin']) {
      const areas = panel.locator(`[data-chart=${chart}] path.recharts-area-area`);
      await expect(areas.count()).resolves.toBe(2);
      const box = await panel.locator(`[data-chart=${chart}] .recharts-wrapper > svg.recharts-surface`).boundingBox();
      expect(box!.width).toBeGreaterThanOrEqual(320);
      expect(box!.height).toBeGreaterThanOrEqual(240);
    }
    await watched.screenshot('run');
    expect(watched.problems).toEqual([]);
  });

  it('shows the hardest cases in the API’s order and exports files equal to the API’s', async () => {
    const { run } = await data<{ run: { hardestSamples: Record<'ood' | 'inDistribution', { index: number; rank: number }[]> } }>(
      stack.api.url,
      'query($id: ID!, $o: ID!) { run(id: $id) { hardestSamples(outDatasetId: $o, first: 12) { ood { index rank } inDistribution { index rank } } } }',
      { id: ids.run, o: ids.outSet },
    );
    const panel = page.locator(`[data-result-panel="${ids.outSet}"]`);
    for (const [kind, key] of [['ood', 'ood'], ['in', 'inDistribution']] as const) {
      const tiles = panel.locator(`[data-hardest=${kind}] [data-rank]`);
      await expect.poll(() => tiles.count()).toBe(12);
      const shown = await tiles.evaluateAll((els) => els.map((e) => ({ index: Number(e.getAttribute('data-index')), rank: Number(e.getAttribute('data-rank')) })));
      expect(shown).toEqual(run.hardestSamples[key]);
    }
    await panel.locator('[data-hardest=ood] [data-rank="1"]').click();
    await page.getByRole('dialog').getByText('Rank 1').waitFor();
    await watched.screenshot('run-hardest');
    await page.keyboard.press('Escape');

    const grab = async (item: string) => {
      await page.locator('[data-export]').click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-export-item=${item}]`).click()]);
      return readFile((await download.path())!, 'utf8');
    };
    const json = JSON.parse(await grab('json')) as { results: (Omit<ApiResult, 'outDatasetId'> & { outDataset: { id: string } })[] };
    const { run: api } = await data<{ run: { results: ApiResult[] } }>(stack.api.url, `query($id: ID!) { run(id: $id) { results { outDatasetId baseline { ${METRICS.join(' ')} } odin { ${METRICS.join(' ')} } } } }`, { id: ids.run });
    expect(json.results.map((r) => ({ outDatasetId: r.outDataset.id, baseline: r.baseline, odin: r.odin }))).toEqual(api.results);
    const csv = (await grab('csv')).trim().split('\n');
    expect(csv[0]).toBe(`out_dataset_id,out_dataset,method,temperature,epsilon,n_in,n_out,${METRICS.join(',')}`);
    expect(csv[2].split(',').slice(7).map(Number)).toEqual(METRICS.map((m) => api.results[0].odin[m]));
    expect(await grab('scores')).toBe(await (await fetch(`${stack.api.url}/v1/runs/${ids.run}/scores.csv`)).text());
    expect(watched.problems).toEqual([]);
  });

  it('explains each metric where it is read: a tooltip with its definition, a link to docs/metrics.md, the positive class', async () => {
    await page.goto(`${stack.web.url}/runs/${ids.run}`);
    const panel = page.locator(`[data-result-panel="${ids.outSet}"]`);
    await expect(panel.locator('[data-metrics-table] caption').textContent()).resolves.toContain('OpenOOD and pytorch-ood take OOD as positive');
    const header = panel.locator('[data-metric-doc=fprAt95Tpr]');
    await header.hover();
    await expect(page.getByRole('tooltip').textContent()).resolves.toContain('P(s_in ≥ t) ≥ 0.95');
    await header.click();
    await page.waitForURL(/\/docs\/metrics$/);
    const doc = page.locator('[data-docs=metrics]');
    await expect(doc.locator('h1').textContent()).resolves.toBe('OOD metrics');
    await expect(doc.textContent()).resolves.toContain('Mann–Whitney U');
    await expect(doc.locator('table tr').count()).resolves.toBeGreaterThan(5);
    expect(watched.problems).toEqual([]);
  });

  it('moves the threshold by typing, by keyboard on the slider and by dragging on the histogram; TPR/FPR equal the API’s per-sample scores', async () => {
    const csv = await (await fetch(`${stack.api.url}/v1/runs/${ids.run}/scores.csv`)).text();
    const rows = csv.trim().split('\n').slice(1).map((line) => line.split(','));
    const scoresOf = (datasetId: string, column: 3 | 4) => rows.filter((r) => r[0] === datasetId).map((r) => Number(r[column]));
    const expected = (method: string, t: number) => {
      const column = method === 'odin' ? 4 : 3;
      const inS = scoresOf(ids.inSet!, column);
      const outS = scoresOf(ids.outSet!, column);
      return { tpr: inS.filter((s) => s >= t).length / inS.length, fpr: outS.filter((s) => s >= t).length / outS.length };
    };
    const { run } = await data<{ run: { results: { threshold: number; baselineThreshold: number }[] } }>(stack.api.url, 'query($id: ID!) { run(id: $id) { results { threshold baselineThreshold } } }', { id: ids.run });

    await page.goto(`${stack.web.url}/runs/${ids.run}`);
    const panel = page.locator(`[data-result-panel="${ids.outSet}"]`);
    const stats = panel.locator('[data-threshold-stats]');
    await stats.waitFor();
    const shown = async () => ({
      method: (await stats.getAttribute('data-method'))!,
      threshold: Number(await stats.getAttribute('data-threshold')),
      tpr: Number(await stats.getAttribute('data-tpr')),
      fpr: Number(await stats.getAttribute('data-fpr')),
    });
    const agrees = async () => {
      const s = await shown();
      expect({ tpr: s.tpr, fpr: s.fpr }, `${s.method} at ${s.threshold}`).toEqual(expected(s.method, s.threshold));
      return s;
    };
    const start = await agrees();
    expect(start).toMatchObject({ method: 'odin', threshold: run.results[0].threshold });
    expect(start.tpr).toBeGreaterThanOrEqual(0.95);
    const rocDot = panel.locator('[data-chart=roc] .recharts-reference-dot circle').last();
    const dotAt = async () => [Number(await rocDot.getAttribute('cx')), Number(await rocDot.getAttribute('cy'))];
    const dotBefore = await dotAt();

    const sorted = scoresOf(ids.inSet!, 4).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const input = panel.locator('[data-threshold-input] input, input[data-threshold-input]').first();
    await input.fill(String(median));
    await expect.poll(async () => (await shown()).threshold).toBe(median);
    expect((await agrees()).tpr).toBeCloseTo(0.5, 1);
    expect(await dotAt()).not.toEqual(dotBefore);

    await panel.locator('[data-threshold-slider] [role=slider]').focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await shown()).threshold).not.toBe(median);
    await agrees();

    const histogram = panel.locator('[data-chart=histogram-baseline] .recharts-wrapper');
    const box = (await histogram.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await shown()).method).toBe('msp');
    const dragged = await agrees();
    expect(dragged.threshold).not.toBe(run.results[0].baselineThreshold);
    await watched.screenshot('run-threshold');

    await panel.locator('[data-threshold-reset]').click();
    await expect.poll(async () => (await shown()).threshold).toBe(run.results[0].baselineThreshold);
    await agrees();
    expect(watched.problems).toEqual([]);
  });

  it('shows a search run’s T×ε heatmap: one cell per grid point with the API’s values, the chosen one marked', async () => {
    const { startRun } = await data<{ startRun: { id: string } }>(
      stack.api.url,
      'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b], search: { temperatures: [1, 1000], epsilons: [0, 0.001, 0.002], validationCount: 100 } }) { id } }',
      { m: ids.model, a: ids.inSet, b: ids.outSet },
    );
    expect((await waitForRun(stack.api.url, startRun.id)).status).toBe('SUCCEEDED');
    const { run } = await data<{ run: { results: { temperature: number; epsilon: number; grid: { temperature: number; epsilon: number; fprAt95Tpr: number; auroc: number }[] }[] } }>(
      stack.api.url,
      'query($id: ID!) { run(id: $id) { results { temperature epsilon grid { temperature epsilon fprAt95Tpr auroc } } } }',
      { id: startRun.id },
    );
    const result = run.results[0];
    expect(result.grid).toHaveLength(6);
    await page.goto(`${stack.web.url}/runs/${startRun.id}`);
    const heatmap = page.locator('[data-heatmap]');
    await heatmap.waitFor();
    await expect(heatmap.textContent()).resolves.toContain('first 100 images');
    const cells = heatmap.locator('[data-cell]');
    const read = () =>
      cells.evaluateAll((els) =>
        els.map((e) => ({ temperature: Number(e.getAttribute('data-temperature')), epsilon: Number(e.getAttribute('data-epsilon')), value: Number(e.getAttribute('data-value')), chosen: e.hasAttribute('data-chosen') })),
      );
    const key = (c: { temperature: number; epsilon: number }) => `${c.temperature}|${c.epsilon}`;
    for (const metric of ['fprAt95Tpr', 'auroc'] as const) {
      if (metric === 'auroc') await heatmap.getByText('AUROC', { exact: true }).click();
      await expect.poll(() => heatmap.getAttribute('data-metric')).toBe(metric);
      const shown = await read();
      expect(shown.map((c) => [key(c), c.value]).sort()).toEqual(result.grid.map((c) => [key(c), c[metric]]).sort());
      expect(shown.filter((c) => c.chosen).map(key)).toEqual([key(result)]);
    }
    await heatmap.screenshot({ path: `${SCREENSHOTS}run-heatmap.png` });
    expect(watched.problems).toEqual([]);
  });

  it('starts an ID-only search from the form (no OOD data to tune on) and shows what it chose', async () => {
    await openNewRunForm();
    await page.getByRole('dialog').getByText('Tune on in-distribution only').click();
    await page.locator('[data-field=validation]').fill('200');
    await page.locator('[data-submit-run]').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const { runs } = await data<{ runs: { edges: { node: { id: string; settings: { search: { mode: string; temperatures: number[]; epsilons: number[]; validationCount: number } } } }[] } }>(
      stack.api.url,
      '{ runs(first: 1) { edges { node { id settings { search { mode temperatures epsilons validationCount } } } } } }',
    );
    const run = runs.edges[0].node;
    expect(run.settings.search).toMatchObject({ mode: 'ID_ONLY', temperatures: [1000], validationCount: 200 });
    expect(run.settings.search.epsilons).toHaveLength(21);
    expect((await waitForRun(stack.api.url, run.id)).status).toBe('SUCCEEDED');
    const { run: done } = await data<{ run: { results: { temperature: number; epsilon: number; nIn: number }[] } }>(stack.api.url, 'query($id: ID!) { run(id: $id) { results { temperature epsilon nIn } } }', { id: run.id });
    expect(done.results[0]).toMatchObject({ temperature: 1000, nIn: 400 });
    await expect(page.locator(`[data-run-id="${run.id}"]`).textContent()).resolves.toContain('ID-only search: T = 1000, 21 ε');
    await page.goto(`${stack.web.url}/runs/${run.id}`);
    await page.locator(`[data-result-panel="${ids.outSet}"]`).waitFor();
    await expect(page.locator('[data-run]').textContent()).resolves.toContain(`ε = ${done.results[0].epsilon}`);
    expect(watched.problems).toEqual([]);
  });

  it('compares two runs chosen in the list, marking the best value of each row', async () => {
    const { startRun } = await data<{ startRun: { id: string } }>(stack.api.url, 'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b], epsilon: 0 }) { id } }', {
      m: ids.model,
      a: ids.inSet,
      b: ids.outSet,
    });
    expect((await waitForRun(stack.api.url, startRun.id)).status).toBe('SUCCEEDED');
    await page.goto(`${stack.web.url}/runs`);
    await page.locator(`[data-select-run="${ids.run}"]`).check();
    await page.locator(`[data-select-run="${startRun.id}"]`).check();
    await page.locator('[data-compare-selected]').click();
    await page.waitForURL(/\/compare\?ids=/);
    expect(new URL(page.url()).searchParams.get('ids')!.split(',').sort()).toEqual([ids.run!, startRun.id].sort());
    await page.locator('[data-compare-table]').waitFor();
    const { compareRuns } = await data<{ compareRuns: { id: string; results: ApiResult[] }[] }>(stack.api.url, `query($ids: [ID!]!) { compareRuns(ids: $ids) { id results { outDatasetId baseline { ${METRICS.join(' ')} } odin { ${METRICS.join(' ')} } } } }`, {
      ids: [ids.run, startRun.id],
    });
    const lower = new Set(['fprAt95Tpr', 'detectionError']);
    for (const metric of METRICS) {
      const values = compareRuns.map((r) => r.results[0].odin[metric]);
      const best = lower.has(metric) ? Math.min(...values) : Math.max(...values);
      for (const r of compareRuns) {
        const cell = page.locator(`[data-compare-table] [data-run="${r.id}"][data-metric=${metric}]`);
        expect(Number(await cell.getAttribute('data-value'))).toBe(r.results[0].odin[metric]);
        expect(await cell.getAttribute('data-best'), `${metric} of ${r.id}`).toBe(String(r.results[0].odin[metric] === best));
      }
    }
    await expect(page.locator('[data-chart=compare-roc] path.recharts-line-curve').count()).resolves.toBe(2);
    await watched.screenshot('compare');
    await page.goto(`${stack.web.url}/compare?ids=${ids.run}`);
    await expect(page.locator('[data-compare]').getAttribute('data-compare')).resolves.toBe('1');
    await page.goto(`${stack.web.url}/compare`);
    await page.locator('[data-empty-state]').waitFor();
    expect(watched.problems).toEqual([]);
  });

  it('filters the runs table through the URL (kept on reload) and pages by cursor', async () => {
    const bytes = new Uint8Array(await readFile(DEMO_MODEL));
    const { registerModel: other } = await data<{ registerModel: { id: string } }>(stack.api.url, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "second cnn" }) { id } }', { u: await uploadId(stack.api.url, bytes, 'second.onnx') });
    const noise = async (kind: string) =>
      (await data<{ createSyntheticDataset: { id: string } }>(stack.api.url, `mutation { createSyntheticDataset(input: { kind: ${kind}, count: 40, seed: 3 }) { id } }`)).createSyntheticDataset.id;
    const [a, b] = [await noise('UNIFORM'), await noise('GAUSSIAN')];
    const start = (modelId: string) => data(stack.api.url, 'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b], batchSize: 40 }) { id } }', { m: modelId, a, b });
    for (let i = 0; i < 3; i++) await start(other.id);
    for (let i = 0; i < 23; i++) await start(ids.model!);

    await page.goto(`${stack.web.url}/runs?model=${other.id}`);
    await expect.poll(() => page.locator('[data-run-id]').count()).toBe(3);
    await page.reload();
    await expect.poll(() => page.locator('[data-run-id]').count()).toBe(3);
    await expect(page.locator('[data-total-count]').getAttribute('data-total-count')).resolves.toBe('3');
    await expect.poll(() => page.locator('[data-filter=model]').inputValue()).toBe('second cnn');

    const { runs } = await data<{ runs: { totalCount: number } }>(stack.api.url, '{ runs { totalCount } }');
    expect(runs.totalCount).toBeGreaterThan(25);
    expect(runs.totalCount).toBeLessThan(50);
    await page.goto(`${stack.web.url}/runs`);
    await expect.poll(() => page.locator('[data-run-id]').count()).toBe(25);
    await expect(page.locator('[data-total-count]').getAttribute('data-total-count')).resolves.toBe(String(runs.totalCount));
    const firstPage = await page.locator('[data-run-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
    await page.locator('[data-page=next]').click();
    await page.waitForURL(/after=/);
    await expect.poll(() => page.locator('[data-run-id]').count()).toBe(runs.totalCount - 25);
    const secondPage = await page.locator('[data-run-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    await page.reload();
    await expect.poll(() => page.locator('[data-run-id]').count()).toBe(runs.totalCount - 25);
    await page.goto(`${stack.web.url}/runs?order=asc`);
    await expect.poll(() => page.locator('[data-run-id]').first().getAttribute('data-run-id')).toBe(ids.run);
    expect(watched.problems).toEqual([]);
  });

  it('has no serious or critical accessibility violations on the main pages (axe-core, WCAG 2 A/AA)', async () => {
    const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const found: string[] = [];
    for (const path of ['/runs', `/runs/${ids.run}`, '/docs/metrics', '/models', `/models/${ids.model}`, '/datasets', `/datasets/${ids.inSet}`, `/compare?ids=${ids.run}`]) {
      await page.goto(`${stack.web.url}${path}`);
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.locator('.mantine-Skeleton-root').count()).toBe(0);
      await page.addScriptTag({ content: axe });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; any: { message: string }[] }[] }[] }> } }).axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
        });
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} (${n.any.map((a) => a.message).join('; ')})`).join(', ')}`);
      });
      found.push(...violations.map((v) => `${path} ${v}`));
    }
    expect(found).toEqual([]);
  });

  it('shows the API’s message for a file that is not an ONNX model', async () => {
    const junk = Buffer.from('this is a text file, not a model\n');
    const { inspectUpload } = await fetch(`${stack.api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($u: ID!) { inspectUpload(uploadId: $u) { opset } }', variables: { u: await uploadId(stack.api.url, junk, 'notes.txt') } }),
    })
      .then((r) => r.json() as Promise<{ errors: { message: string }[] }>)
      .then((r) => ({ inspectUpload: r.errors[0].message }));
    await page.goto(`${stack.web.url}/models`);
    await page.locator('[data-dropzone=model] input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: junk });
    const alert = page.locator('[data-inspect-error]');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(inspectUpload);
    expect(watched.problems).toEqual([]);
  });

  it('shows why a run failed, in its own words', async () => {
    const path = await writeNpy(stack.dataDir, 'mnist', 50, 'doomed.npy');
    const { registerDataset } = await data<{ registerDataset: { id: string } }>(stack.api.url, 'mutation($u: ID!) { registerDataset(input: { uploadId: $u, name: "doomed" }) { id } }', {
      u: await uploadId(stack.api.url, new Uint8Array(await readFile(path)), 'doomed.npy'),
    });
    // The dataset's imported files vanish behind the API's back (a disk cleaned by hand): the worker cannot read them.
    await rm(join(stack.dataDir, 'datasets', registerDataset.id), { recursive: true, force: true });
    const { startRun } = await data<{ startRun: { id: string } }>(stack.api.url, 'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b] }) { id } }', {
      m: ids.model,
      a: ids.inSet,
      b: registerDataset.id,
    });
    const final = await waitForRun(stack.api.url, startRun.id);
    expect(final.status).toBe('FAILED');
    await page.goto(`${stack.web.url}/runs/${startRun.id}`);
    const alert = page.locator('[data-run-error]');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain(final.error!);
    await page.locator('[data-rerun]').waitFor();
    await watched.screenshot('run-failed');
    expect(watched.problems).toEqual([]);
  });
});
