// Benchmark: ODIN (one ε) against the source model's forward pass for every fixture-zoo net (test/zoo), on
// onnxruntime-node CPU at 3×32×32; batch 32, or one image per run where the graph is compiled for batch 1.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { readModel, writeModel } from '../src/graph/onnx-io.ts';
import { compileOdin } from '../src/odin/compile.ts';
import { sessionOptions, timed } from './odin.ts';

const ZOO = resolve(dirname(fileURLToPath(import.meta.url)), '../test/zoo');
const SIZE = 32;
const BATCH = 32;
const WARMUP = 2;
const ROUNDS = 5;
const FORWARD_PER_ROUND = 3;

export interface ZooBenchRow {
  net: string;
  opset: string;
  batch: string;
  /** Images per second of the source model and of the ODIN graph with one ε. */
  forward: number;
  odin1: number;
  odin1OverForward: number;
}

/** Times each zoo net's forward pass and its ODIN graph (one ε), best of interleaved rounds. */
export async function benchZoo(): Promise<ZooBenchRow[]> {
  const index = JSON.parse(readFileSync(resolve(ZOO, 'zoo.json'), 'utf8')) as { nets: Record<string, { opset: number; input: string }> };
  const rows: ZooBenchRow[] = [];
  for (const [name, net] of Object.entries(index.nets)) {
    const bytes = new Uint8Array(readFileSync(resolve(ZOO, `${name}.onnx`)));
    const { model, report } = compileOdin(readModel(bytes));
    const n = report.batch.mode === 'fixed' ? 1 : BATCH;
    // The source model keeps its exported batch of 1 where it had one.
    const forwardBatch = report.batch.mode === 'dynamic' ? BATCH : 1;
    const x = (k: number) => new ort.Tensor('float32', new Float32Array(k * 3 * SIZE * SIZE).fill(0.5), [k, 3, SIZE, SIZE]);
    const forward = await ort.InferenceSession.create(bytes, sessionOptions());
    const compiled = await ort.InferenceSession.create(writeModel(model), sessionOptions());
    const feeds = { image: x(n), temperature: new ort.Tensor('float32', Float32Array.of(1000), [1]), epsilon: new ort.Tensor('float32', Float32Array.of(0.0014), [1]) };
    const runs = { forward: () => forward.run({ [net.input]: x(forwardBatch) }), odin1: () => compiled.run(feeds) };
    for (const run of Object.values(runs)) for (let i = 0; i < WARMUP; i++) await run();
    const best = { forward: Infinity, odin1: Infinity };
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < FORWARD_PER_ROUND; i++) best.forward = Math.min(best.forward, await timed(runs.forward));
      best.odin1 = Math.min(best.odin1, await timed(runs.odin1));
    }
    await forward.release();
    await compiled.release();
    const forwardRate = forwardBatch / best.forward;
    const odinRate = n / best.odin1;
    rows.push({
      net: name,
      opset: report.upgradedFrom !== undefined ? `${report.upgradedFrom}→13` : String(report.opset),
      batch: report.batch.mode,
      forward: forwardRate,
      odin1: odinRate,
      odin1OverForward: odinRate / forwardRate,
    });
  }
  return rows;
}

export function formatZooTable(rows: ZooBenchRow[]): string {
  const lines = [
    `Fixture zoo (test/zoo) on onnxruntime-node CPU (2 threads), 3×32×32, batch ${BATCH} (1 where the batch stays fixed); best of ${ROUNDS * FORWARD_PER_ROUND}/${ROUNDS} interleaved runs`,
    `${'net'.padEnd(15)}${'opset'.padStart(6)}${'batch'.padStart(10)}${'forward img/s'.padStart(15)}${'ODIN 1ε img/s'.padStart(15)}${'ODIN1/fwd'.padStart(11)}`,
  ];
  for (const r of rows)
    lines.push(`${r.net.padEnd(15)}${r.opset.padStart(6)}${r.batch.padStart(10)}${r.forward.toFixed(0).padStart(15)}${r.odin1.toFixed(0).padStart(15)}${r.odin1OverForward.toFixed(3).padStart(11)}`);
  return lines.join('\n');
}
