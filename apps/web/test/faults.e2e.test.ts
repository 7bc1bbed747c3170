// The dashboard under faults, in Chromium: with the API stopped the pages say so and recover by themselves once it is
// back; a run page open while its worker is SIGKILLed shows the shard waiting for a retry, then the finished run.
import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { data, registerDataset, registerModel, spawnApi, waitForRun, type ApiProcess } from '../../api/test/support/api-process.ts';
import { tempDir, writeNpy } from '../../api/test/support/data.ts';
import { startTestDatabase, type TestDatabase } from '../../api/test/support/database.ts';
import { spawnWorker, type WorkerProcess } from '../../api/test/support/worker-process.ts';
import { freePort, spawnWeb, type WebProcess } from '../launch/spawn.ts';
import { launchBrowser, openPage } from './support/browser.ts';

const MODEL = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);
const N = 3000;
// A lost worker's shard shows as stalled after 10 s of silence and is retried when its job expires at 25 s.
const common = { ODIN_THREADS: '1', ODIN_SHARD_EXPIRE_SECONDS: '25', ODIN_MAINTENANCE_SECONDS: '2', ODIN_SHARD_SIZE: '512' };

describe('the dashboard under faults', () => {
  let dir: string;
  let db: TestDatabase;
  let api: ApiProcess;
  let web: WebProcess;
  let browser: Browser;
  let port: string;
  const ids: Record<string, string> = {};
  const workers: WorkerProcess[] = [];
  const apiEnv = () => ({ ...common, DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'api'), ODIN_WORKER: 'off', PORT: port });
  const worker = async (name: string) => {
    const w = await spawnWorker({ ...common, DATABASE_URL: db.url, ODIN_API_URL: api.url, ODIN_TOKEN: 'test-token', ODIN_DATA_DIR: join(dir, name) });
    workers.push(w);
    return w;
  };
  const startRun = async () =>
    (
      await data<{ startRun: { id: string } }>(
        api.url,
        'mutation($m: ID!, $i: ID!, $o: [ID!]!) { startRun(input: { modelId: $m, inDatasetId: $i, outDatasetIds: $o, temperature: 1000, epsilon: 0.0014, batchSize: 16 }) { id } }',
        { m: ids.model, i: ids.in, o: [ids.out] },
      )
    ).startRun.id;

  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    port = String(await freePort());
    api = await spawnApi(apiEnv());
    web = await spawnWeb({ apiUrl: api.url, port: await freePort() });
    browser = await launchBrowser();
    ids.model = (await registerModel(api.url, await readFile(MODEL), 'demo')).id;
    for (const [key, spec] of [['in', 'fashion-mnist:test'], ['out', 'mnist']] as const) {
      const path = await writeNpy(dir, spec, N, `${key}.npy`);
      ids[key] = await registerDataset(api.url, await readFile(path), key, basename(path));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await web?.stop();
    await api?.stop();
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says the API cannot be reached while it is stopped, and shows the runs again by itself once it is back', async () => {
    const w = await worker('w0');
    const run = await startRun();
    expect(await waitForRun(api.url, run)).toMatchObject({ status: 'SUCCEEDED' });
    await w.stop();
    const { page, problems, screenshot } = await openPage(browser);
    await page.goto(`${web.url}/runs`);
    await page.locator(`[data-run-id="${run}"]`).waitFor();
    const open = await openPage(browser);
    await open.page.goto(`${web.url}/runs/${run}`);
    await open.page.locator('[data-run][data-status=SUCCEEDED]').waitFor();

    await api.stop();
    // A page already open keeps what it showed and says the API is down; a page loaded now says so instead of rows.
    await open.page.locator('[data-api-status=down]').waitFor({ timeout: 20_000 });
    await page.reload();
    await page.locator('[data-error-code=UNREACHABLE]').first().waitFor({ timeout: 30_000 });
    await expect(page.locator(`[data-run-id="${run}"]`).count()).resolves.toBe(0);
    await expect(page.getByText('The API cannot be reached').first().isVisible()).resolves.toBe(true);
    await screenshot('faults-api-down');

    api = await spawnApi(apiEnv());
    // No reload: the status ping sees the API again and refetches what had failed.
    await page.locator(`[data-run-id="${run}"]`).waitFor({ timeout: 30_000 });
    await page.locator('[data-api-status=up]').waitFor();
    await expect(page.locator('[data-error-code=UNREACHABLE]').count()).resolves.toBe(0);
    await open.page.locator('[data-api-status=up]').waitFor({ timeout: 30_000 });
    await open.page.locator('[data-run][data-status=SUCCEEDED]').waitFor();
    // Chromium logs each refused request as "Failed to load resource"; nothing else may reach the console.
    expect([...problems, ...open.problems].filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
  });

  it('shows a run whose worker is SIGKILLed as retrying, then finished, without a reload', async () => {
    const first = await worker('w1');
    const run = await startRun();
    const { page, problems, screenshot } = await openPage(browser);
    await page.goto(`${web.url}/runs/${run}`);
    onTestFailed(async () => console.log(`page: ${await page.locator('[data-run]').textContent().catch(() => '?')}\nworker log:\n${first.log().slice(-3000)}\nAPI log:\n${api.log().slice(-3000)}`));
    await page.locator('[data-run][data-status=RUNNING]').waitFor({ timeout: 60_000 });
    // Killed while it holds a shard it has stored batches of, as the API sees it.
    const shards = async () => (await data<{ run: { shards: { running: number; done: number } } }>(api.url, 'query($id: ID!) { run(id: $id) { shards { running done } } }', { id: run })).run.shards;
    for (let s = await shards(); !(s.running === 1 && s.done >= 1); s = await shards()) await new Promise((r) => setTimeout(r, 100));
    await first.kill9();

    await page.locator('[data-shards-stalled="1"]').waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-run]').getAttribute('data-status')).resolves.toBe('RUNNING');
    await expect(page.locator('[data-shards-stalled]').textContent()).resolves.toContain('Another worker takes it over');
    await screenshot('faults-worker-lost');

    await worker('w2');
    await page.locator('[data-run][data-status=SUCCEEDED]').waitFor({ timeout: 120_000 });
    await expect(page.locator('[data-shards-stalled]').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  });
});
