// Benchmark: one evaluation through the API (upload, register, queued job, stored batches) against `odin eval` on the same model and data.
// Reports images/s of both and their ratio (goal ≥ 0.85), measured in one run on this machine.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { data, spawnApi, uploadId, waitForRun } from '../test/support/api-process.ts';
import { tempDir, writeNpy } from '../test/support/data.ts';

const N = Number(process.env.BENCH_IMAGES ?? 3000);
const THREADS = process.env.BENCH_THREADS ?? '2';
const model = fileURLToPath(new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url));
const odin = fileURLToPath(new URL('../../../packages/engine/bin/odin.js', import.meta.url));

const dir = await tempDir();
try {
  const [inPath, outPath] = await Promise.all([writeNpy(dir, 'fashion-mnist:test', N, 'in.npy'), writeNpy(dir, 'mnist', N, 'out.npy')]);

  const cliStarted = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, [odin, 'eval', '--model', model, '--in', inPath, '--out', outPath, '--threads', THREADS, '--json'], { maxBuffer: 1 << 26 });
  const cliWall = (performance.now() - cliStarted) / 1000;
  const cli = JSON.parse(stdout) as { timing: { imagesPerSecond: number; images: number } };

  const api = await spawnApi({ ODIN_DATA_DIR: join(dir, 'data'), ODIN_THREADS: THREADS });
  try {
    const u = await Promise.all([uploadId(api.url, await readFile(model)), uploadId(api.url, await readFile(inPath)), uploadId(api.url, await readFile(outPath))]);
    const m = (await data<{ registerModel: { id: string } }>(api.url, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "bench" }) { id } }', { u: u[0] })).registerModel.id;
    const reg = 'mutation($u: ID!) { registerDataset(input: { uploadId: $u, name: "bench" }) { id } }';
    const a = (await data<{ registerDataset: { id: string } }>(api.url, reg, { u: u[1] })).registerDataset.id;
    const b = (await data<{ registerDataset: { id: string } }>(api.url, reg, { u: u[2] })).registerDataset.id;
    const started = performance.now();
    const { startRun } = await data<{ startRun: { id: string } }>(api.url, 'mutation($m: ID!, $a: ID!, $b: ID!) { startRun(input: { modelId: $m, inDatasetId: $a, outDatasetIds: [$b] }) { id } }', { m, a, b });
    await waitForRun(api.url, startRun.id, 3_600_000);
    const wall = (performance.now() - started) / 1000;
    const { run } = await data<{ run: { imagesPerSecond: number } }>(api.url, 'query($id: ID!) { run(id: $id) { imagesPerSecond } }', { id: startRun.id });
    const images = 2 * N;
    const rows = [
      ['odin eval (in-process rate)', cli.timing.imagesPerSecond],
      ['API run (worker rate)', run.imagesPerSecond],
      ['odin eval (wall, incl. process start)', images / cliWall],
      ['API run (wall, startRun → SUCCEEDED)', images / wall],
    ] as const;
    console.log(`API vs odin eval, demo model, ${N} + ${N} images, ${THREADS} threads`);
    for (const [name, v] of rows) console.log(`  ${name.padEnd(40)} ${v.toFixed(0)} images/s`);
    console.log(`  ratio (worker rate / CLI rate)            ${(run.imagesPerSecond / cli.timing.imagesPerSecond).toFixed(3)}`);
    console.log(`  ratio (API wall / CLI wall)               ${(images / wall / (images / cliWall)).toFixed(3)}`);
  } finally {
    await api.stop();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
