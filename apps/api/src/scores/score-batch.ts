// Stored score batches: the engine's ScoreCheckpoint as a compact row (float32 bytea columns) and back.
import type { ScoreCheckpoint } from '@odin/engine';
import type { ScoreBatch } from '../generated/prisma/client.ts';

const f32 = (values: number[]) => {
  const a = Float32Array.from(values);
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength) as Uint8Array<ArrayBuffer>;
};
const floats = (bytes: Uint8Array) => {
  const copy = new Uint8Array(bytes);
  return Array.from(new Float32Array(copy.buffer, 0, copy.byteLength / 4));
};

export type ScoreBatchRow = Omit<ScoreBatch, 'id'>;

/** NOTE: scores are float32 in the graph, so storing them as float32 loses nothing. */
export function encodeCheckpoint(runId: string, c: ScoreCheckpoint): ScoreBatchRow {
  return {
    runId,
    job: c.job,
    datasetId: c.dataset,
    phase: c.phase,
    temperature: c.temperature,
    epsilons: c.epsilons,
    start: c.start,
    next: c.next,
    ids: c.ids,
    indices: c.indices,
    labels: c.labels.map((l) => l ?? -1),
    prediction: c.prediction,
    msp: f32(c.msp),
    energy: f32(c.energy),
    odin: f32(c.odin.flat()),
    skipped: c.skipped,
  };
}

export function decodeBatch(row: ScoreBatchRow): ScoreCheckpoint {
  const E = row.epsilons.length;
  const odin = floats(row.odin);
  return {
    job: row.job,
    dataset: row.datasetId,
    phase: row.phase as ScoreCheckpoint['phase'],
    temperature: row.temperature,
    epsilons: row.epsilons,
    start: row.start,
    next: row.next,
    ids: row.ids,
    indices: row.indices,
    labels: row.labels.map((l) => (l < 0 ? null : l)),
    msp: floats(row.msp),
    energy: floats(row.energy),
    prediction: row.prediction,
    odin: row.ids.map((_, i) => odin.slice(i * E, (i + 1) * E)),
    skipped: row.skipped as ScoreCheckpoint['skipped'],
  };
}
