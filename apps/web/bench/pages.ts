// Benchmark: with 10,000 runs in the database, the time from navigation to the runs table's first row, and to a run
// page's metrics and threshold stats for a run with 20,000 samples per set, in headless Chromium against the production
// build. Median of 5 cold page loads (a fresh browser context each), with the load average. Goal: ≤ 1.5 s each.
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { cloneRun } from '../../api/bench/seed-runs.ts';
import { data, spawnApi, uploadId, waitForRun } from '../../api/test/support/api-process.ts';
import { tempDir } from '../../api/test/support/data.ts';
import { startTestDatabase } from '../../api/test/support/database.ts';
import { ensureWebBuild } from '../launch/build.ts';
import { freePort, spawnWeb } from '../launch/spawn.ts';
import { launchBrowser } from '../test/support/browser.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20_000);
const REPEATS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log('building the dashboard (if its sources changed)…');
await ensureWebBuild();
const db = await startTestDatabase();
const api = await spawnApi({ DATABASE_URL: db.url, ODIN_DATA_DIR: await tempDir() });
const web = await spawnWeb({ apiUrl: api.url, port: await freePort() });
const browser = await launchBrowser();
try {
  const bytes = await readFile(new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url));
  const modelId = (await data<{ registerModel: { id: string } }>(api.url, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "demo cnn" }) { id } }', { u: await uploadId(api.url, bytes) })).registerModel.id;
  const noise = async (kind: string, seed: number) =>
    (await data<{ createSyntheticDataset: { id: string } }>(api.url, `mutation { createSyntheticDataset(input: { kind: ${kind}, count: ${SAMPLES}, seed: ${seed} }) { id } }`)).createSyntheticDataset.id;
  const [a, b] = [await noise('UNIFORM', 1), await noise('GAUSSIAN', 2)];
  console.log(`scoring one run of ${SAMPLES.toLocaleString('en-US')} + ${SAMPLES.toLocaleString('en-US')} images…`);
  const { startRun } = await data<{ startRun: { id: string } }>(api.url, 'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b] }) { id } }', { m: modelId, a, b });
  const done = await waitForRun(api.url, startRun.id, 1_800_000);
  if (done.status !== 'SUCCEEDED') throw new Error(`the run ended ${done.status}: ${done.error}`);
  console.log(`copying it into ${RUNS.toLocaleString('en-US')} runs…`);
  await cloneRun(db.url, startRun.id, RUNS - 1);

  const time = async (path: string, selectors: string[]) => {
    const times: number[][] = [];
    for (let i = 0; i < REPEATS; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${web.url}${path}`, { waitUntil: 'commit' });
      const marks: number[] = [];
      for (const selector of selectors) {
        await page.locator(selector).first().waitFor({ timeout: 60_000 });
        marks.push(performance.now() - started);
      }
      times.push(marks);
      await context.close();
    }
    return selectors.map((_, j) => median(times.map((t) => t[j])));
  };
  const [firstRow] = await time('/runs', ['[data-run-id]']);
  const [metrics, threshold] = await time(`/runs/${startRun.id}`, ['[data-metric=auroc][data-method=odin]', '[data-threshold-stats]']);
  const { runs } = await data<{ runs: { totalCount: number } }>(api.url, '{ runs { totalCount } }');
  // The API's own share: the list's query and the scores file, timed from here.
  const apiTime = async (request: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      await request();
      times.push(performance.now() - started);
    }
    return median(times);
  };
  const listQuery = `{ runs(first: 25) { totalCount pageInfo { endCursor hasNextPage } edges { node { id status progress createdAt model { id name } inDataset { id name } outDatasets { id name } results { outDatasetId baseline { fprAt95Tpr auroc } odin { fprAt95Tpr auroc } } } } } }`;
  const apiList = await apiTime(() => data(api.url, listQuery));
  const apiScores = await apiTime(() => fetch(`${api.url}/v1/runs/${startRun.id}/scores.csv`).then((r) => r.text()));
  const ms = (x: number) => `${Math.round(x)} ms`;
  console.log(`\nDashboard page loads in headless Chromium, production build, ${runs.totalCount.toLocaleString('en-US')} runs in the database; median of ${REPEATS} cold loads (goal ≤ 1.5 s)`);
  console.log(`  /runs → first row of the table:                         ${ms(firstRow)}`);
  console.log(`  /runs/:id (${SAMPLES.toLocaleString('en-US')} samples per set) → metrics table:     ${ms(metrics)}`);
  console.log(`  /runs/:id → threshold stats from the per-sample scores:   ${ms(threshold)}`);
  console.log(`  of which the API: runs(first: 25) ${ms(apiList)}, scores CSV of ${(2 * SAMPLES).toLocaleString('en-US')} rows ${ms(apiScores)}`);
  console.log(`  load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
} finally {
  await browser.close();
  await web.stop();
  await api.stop();
  await db.stop();
}
