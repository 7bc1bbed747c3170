// Benchmark: one run's images/s with one standalone worker, then with two, on the same API and database (a real
// Postgres, real worker processes); prints the ratio and how many cores each part kept busy, to say what limits it.
import { cpus, loadavg } from 'node:os';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { data, registerDataset, registerModel, spawnApi, waitForRun } from '../test/support/api-process.ts';
import { tempDir, writeNpy } from '../test/support/data.ts';
import { startTestDatabase } from '../test/support/database.ts';
import { spawnWorker, type WorkerProcess } from '../test/support/worker-process.ts';
import { machineBusySeconds, treeCpuSeconds } from './cpu-time.ts';

/** Images per set (in-distribution and OOD); at most 10,000, the size of the built-in test sets. */
const N = Math.min(10_000, Number(process.env.BENCH_IMAGES ?? 10_000));
/** Intra-op threads of each worker's sessions. */
const THREADS = process.env.BENCH_THREADS ?? '1';
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const model = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);

interface Phase {
  name: string;
  wall: number;
  /** The worker rate the run stores: its images over the time from its start to its last shard's report. */
  runRate: number;
  /** Cores kept busy on average (CPU seconds / wall seconds): the workers, Postgres, the API, and the whole machine. */
  cores: { workers: number; postgres: number; api: number; machine: number };
}

const load = loadavg()[0];
const dir = await tempDir();
const db = await startTestDatabase();
const api = await spawnApi({ DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'api'), ODIN_WORKER: 'off' });
const workers: WorkerProcess[] = [];
const startWorker = (name: string, threads = THREADS) => spawnWorker({ DATABASE_URL: db.url, ODIN_API_URL: api.url, ODIN_DATA_DIR: join(dir, name), ODIN_THREADS: threads });
try {
  const [inPath, outPath] = await Promise.all([writeNpy(dir, 'fashion-mnist:test', N, 'in.npy'), writeNpy(dir, 'mnist', N, 'out.npy')]);
  const m = (await registerModel(api.url, await readFile(model), 'bench')).id;
  const a = await registerDataset(api.url, await readFile(inPath), 'bench-in');
  const b = await registerDataset(api.url, await readFile(outPath), 'bench-out');

  const startRun = async () =>
    (await data<{ startRun: { id: string } }>(api.url, `mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b], batchSize: ${BATCH} }) { id } }`, { m, a, b }))
      .startRun.id;
  const cpu = () => ({
    workers: workers.reduce((s, w) => s + treeCpuSeconds(w.child.pid!), 0),
    postgres: treeCpuSeconds(process.pid, 'postgres'),
    api: treeCpuSeconds(api.child.pid!),
    machine: machineBusySeconds(),
  });
  const measure = async (name: string): Promise<Phase> => {
    const before = cpu();
    const started = performance.now();
    const id = await startRun();
    const end = await waitForRun(api.url, id, 3_600_000);
    if (end.status !== 'SUCCEEDED') throw new Error(`run ${id} ended ${end.status}: ${end.error}`);
    const wall = (performance.now() - started) / 1000;
    const after = cpu();
    const { run } = await data<{ run: { imagesPerSecond: number } }>(api.url, 'query($id: ID!) { run(id: $id) { imagesPerSecond } }', { id });
    const cores = { workers: 0, postgres: 0, api: 0, machine: 0 };
    for (const k of Object.keys(cores) as (keyof typeof cores)[]) cores[k] = (after[k] - before[k]) / wall;
    return { name, wall, runRate: run.imagesPerSecond, cores };
  };

  // Warm-up with both workers: each fetches the blobs, imports the sets and compiles the graph into its own folder.
  workers.push(await startWorker('w1'), await startWorker('w2'));
  await measure('warm-up');
  await workers.pop()!.stop();
  const one = await measure('1 worker');
  workers.push(await startWorker('w2'));
  const two = await measure('2 workers');
  // For comparison: the same two cores as intra-op threads of one worker (its folder is warm from the first worker).
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  workers.push(await startWorker('w1', String(2 * Number(THREADS))));
  const threaded = await measure(`1 worker, ${2 * Number(THREADS)} threads`);

  const images = 2 * N;
  console.log(`Workers: one run of the demo model, ${N} + ${N} images, batch ${BATCH}, ${THREADS} thread(s) per worker, default shard size`);
  console.log(`machine: ${cpus().length} cores, 1-minute load average at the start ${load.toFixed(2)} (other processes share them)`);
  for (const p of [one, two, threaded]) {
    const c = p.cores;
    console.log(
      `  ${p.name.padEnd(20)} ${(images / p.wall).toFixed(0).padStart(6)} images/s wall (startRun → SUCCEEDED, ${p.wall.toFixed(1)} s), ${p.runRate.toFixed(0).padStart(6)} images/s worker rate; ` +
        `cores busy: workers ${c.workers.toFixed(2)}, Postgres ${c.postgres.toFixed(2)}, API ${c.api.toFixed(2)}, whole machine ${c.machine.toFixed(2)} of ${cpus().length}; ` +
        `${(images / (c.workers * p.wall)).toFixed(0)} images per worker CPU-second`,
    );
  }
  console.log(`  ratio (2 workers / 1 worker, wall)          ${(one.wall / two.wall).toFixed(3)}`);
  console.log(`  ratio (2 workers / 1 worker, worker rate)   ${(two.runRate / one.runRate).toFixed(3)}`);
  console.log(`  ratio (1 worker with 2× threads / 1 worker) ${(one.wall / threaded.wall).toFixed(3)}`);
} finally {
  await Promise.all(workers.map((w) => w.stop()));
  await api.stop();
  await db.stop();
  await rm(dir, { recursive: true, force: true });
}
