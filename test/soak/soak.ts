// The soak: for a bounded time on loopback, readers query runs, writers start runs and upload datasets, and two
// standalone workers process them. Every HTTP status, read latency and the RSS of the API and the workers are recorded;
// afterwards every run must have finished with the results of a quiet run of the same settings.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, registerDataset, registerModel, spawnApi, upload, waitForRun, type ApiProcess } from '../../apps/api/test/support/api-process.ts';
import type { EntryProcess } from '../../apps/api/test/support/child-process.ts';
import { tempDir, writeNpy } from '../../apps/api/test/support/data.ts';
import { startTestDatabase } from '../../apps/api/test/support/database.ts';
import { spawnWorker } from '../../apps/api/test/support/worker-process.ts';
import { processTreeRss } from './rss.ts';

const DEMO_MODEL = fileURLToPath(new URL('../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url));
const METRICS = 'fprAt95Tpr detectionError auroc auprIn auprOut';
const RESULTS = `results { outDatasetId threshold baselineThreshold nIn nOut baseline { ${METRICS} } odin { ${METRICS} } }`;

export interface SoakOptions {
  seconds: number;
  readers?: number;
  /** Images per set of each run. */
  images?: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Status code → count, over every request of the load. */
  statuses: Record<string, number>;
  serverErrors: string[];
  readP50Ms: number;
  readP99Ms: number;
  runsStarted: number;
  runsPerMinute: number;
  uploads: number;
  /** Runs that did not end SUCCEEDED with the quiet run's results, with why. */
  mismatches: string[];
  /** RSS growth after warm-up (the first quarter, at least 10 s), per process tree: (mean of the last fifth) / (mean of the first fifth after warm-up) − 1. */
  rssGrowth: Record<string, number>;
  rssMb: Record<string, { after: number; end: number }>;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function soak({ seconds, readers = 4, images = 256, log = () => {} }: SoakOptions): Promise<SoakReport> {
  const dir = await tempDir();
  const db = await startTestDatabase();
  const common = { DATABASE_URL: db.url, ODIN_THREADS: '1', ODIN_SHARD_SIZE: '128' };
  const processes: EntryProcess[] = [];
  try {
    const api: ApiProcess = await spawnApi({ ...common, ODIN_DATA_DIR: join(dir, 'api'), ODIN_WORKER: 'off' });
    processes.push(api);
    const workers = await Promise.all(['w1', 'w2'].map((name) => spawnWorker({ ...common, ODIN_API_URL: api.url, ODIN_DATA_DIR: join(dir, name) })));
    processes.push(...workers);

    const model = await registerModel(api.url, new Uint8Array(await readFile(DEMO_MODEL)), 'soak cnn');
    const inSet = await registerDataset(api.url, await readFile(await writeNpy(dir, 'fashion-mnist:test', images, 'in.npy')), 'soak in');
    const outBytes = await readFile(await writeNpy(dir, 'mnist', images, 'out.npy'));
    const outSet = await registerDataset(api.url, outBytes, 'soak out');
    const startRun = async () =>
      (await data<{ startRun: { id: string } }>(api.url, 'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b], batchSize: 64 }) { id } }', { m: model.id, a: inSet, b: outSet })).startRun.id;
    const resultsOf = async (id: string) => JSON.stringify((await data<{ run: { results: unknown } }>(api.url, `query($id: ID!) { run(id: $id) { ${RESULTS} } }`, { id })).run.results);

    log('quiet run…');
    const quietId = await startRun();
    const quietEnd = await waitForRun(api.url, quietId, 600_000);
    if (quietEnd.status !== 'SUCCEEDED') throw new Error(`the quiet run ended ${quietEnd.status}: ${quietEnd.error}`);
    const quiet = await resultsOf(quietId);

    const statuses: Record<string, number> = {};
    const serverErrors: string[] = [];
    const readMs: number[] = [];
    const started: string[] = [];
    let uploads = 0;
    const record = (what: string, status: number, body?: string) => {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 500) serverErrors.push(`${what}: ${status} ${body?.slice(0, 200) ?? ''}`);
    };
    const post = async (what: string, query: string, variables: Record<string, unknown> = {}) => {
      const t = performance.now();
      const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      const text = await res.text();
      record(what, res.status, text);
      const body = JSON.parse(text) as { data?: Record<string, unknown>; errors?: { message: string }[] };
      if (body.errors?.length) serverErrors.push(`${what}: ${body.errors[0].message}`);
      return { ms: performance.now() - t, body };
    };

    const rss: Record<string, number[]> = { api: [], w1: [], w2: [] };
    const trees = { api, w1: workers[0], w2: workers[1] };
    const sampler = setInterval(() => {
      for (const [name, p] of Object.entries(trees)) rss[name].push(processTreeRss(p.child.pid!));
    }, 500);

    log(`load for ${seconds} s…`);
    const loadStarted = performance.now();
    const until = loadStarted + seconds * 1000;
    const reader = async () => {
      while (performance.now() < until) {
        const list = await post('runs', `{ runs(first: 50) { totalCount edges { node { id status progress model { name } inDataset { name } results { outDataset { name } baseline { auroc fprAt95Tpr } odin { auroc fprAt95Tpr } } } } } }`);
        readMs.push(list.ms);
        const edges = (list.body.data?.runs as { edges: { node: { id: string } }[] } | undefined)?.edges ?? [];
        const pick = edges[Math.floor(Math.random() * edges.length)]?.node.id;
        if (pick) readMs.push((await post('run', `query($id: ID!) { run(id: $id) { id status progress imagesPerSecond ${RESULTS} } }`, { id: pick })).ms);
      }
    };
    const runWriter = async () => {
      while (performance.now() < until) {
        const r = await post('startRun', 'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b], batchSize: 64 }) { id } }', { m: model.id, a: inSet, b: outSet });
        const id = (r.body.data?.startRun as { id: string } | undefined)?.id;
        if (id) started.push(id);
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    };
    const uploadWriter = async () => {
      while (performance.now() < until) {
        const res = await upload(api.url, outBytes, { 'x-filename': `soak-${uploads}.npy` });
        record('upload', res.status, res.body.error);
        if (res.body.id) {
          await post('registerDataset', 'mutation($u: ID!, $n: String!) { registerDataset(input: { uploadId: $u, name: $n }) { id } }', { u: res.body.id, n: `soak upload ${uploads}` });
          uploads++;
        }
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    };
    await Promise.all([...Array.from({ length: readers }, reader), runWriter(), uploadWriter()]);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    clearInterval(sampler);

    log(`waiting for ${started.length} runs…`);
    const mismatches: string[] = [];
    for (const id of started) {
      const end = await waitForRun(api.url, id, 900_000);
      if (end.status !== 'SUCCEEDED') mismatches.push(`${id}: ${end.status} ${end.error ?? ''}`);
      else if ((await resultsOf(id)) !== quiet) mismatches.push(`${id}: results differ from the quiet run's`);
    }

    const rssGrowth: Record<string, number> = {};
    const rssMb: Record<string, { after: number; end: number }> = {};
    for (const [name, samples] of Object.entries(rss)) {
      // Warm-up: the first quarter, and at least the first 10 s (samples every 0.5 s): a short soak's heap is still growing to its working size.
      const afterWarmUp = samples.slice(Math.max(Math.floor(samples.length / 4), 20));
      const fifth = Math.max(1, Math.floor(afterWarmUp.length / 5));
      const first = mean(afterWarmUp.slice(0, fifth));
      const last = mean(afterWarmUp.slice(-fifth));
      rssGrowth[name] = last / first - 1;
      rssMb[name] = { after: first / 2 ** 20, end: last / 2 ** 20 };
    }
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
    return {
      seconds: loadSeconds,
      requests,
      requestsPerSecond: requests / loadSeconds,
      statuses,
      serverErrors,
      readP50Ms: percentile(readMs, 0.5),
      readP99Ms: percentile(readMs, 0.99),
      runsStarted: started.length,
      runsPerMinute: (started.length / loadSeconds) * 60,
      uploads,
      mismatches,
      rssGrowth,
      rssMb,
    };
  } finally {
    for (const p of processes.reverse()) await p.stop().catch(() => undefined);
    await db.stop();
  }
}
