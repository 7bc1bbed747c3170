// What a finished run is checked against: its results equal evaluate()'s on the same data, and its stored scores
// hold every batch window and every sample exactly once.
import type { EvaluateResult } from '@odin/engine';
import type pg from 'pg';
import { expect } from 'vitest';
import { data } from './api-process.ts';

export interface ResultView {
  threshold: number;
  baselineThreshold: number;
  nIn: number;
  nOut: number;
  odin: { auroc: number; fprAt95Tpr: number; detectionError: number };
  baseline: { auroc: number; fprAt95Tpr: number };
}
export const RESULT_FIELDS = 'threshold baselineThreshold nIn nOut odin { auroc fprAt95Tpr detectionError } baseline { auroc fprAt95Tpr }';

export async function runResults(url: string, id: string): Promise<ResultView[]> {
  return (await data<{ run: { results: ResultView[] } }>(url, `query($id: ID!) { run(id: $id) { results { ${RESULT_FIELDS} } } }`, { id })).run.results;
}

/** The GraphQL view of evaluate()'s result over one out-set, as a run's `results` show it. */
export function resultsOf(reference: EvaluateResult): ResultView[] {
  const r = reference.results[0];
  return [
    {
      threshold: r.odin.threshold,
      baselineThreshold: r.baseline.threshold,
      nIn: reference.nIn,
      nOut: r.nOut,
      odin: { auroc: r.odin.auroc, fprAt95Tpr: r.odin.fprAt95Tpr, detectionError: r.odin.detectionError },
      baseline: { auroc: r.baseline.auroc, fprAt95Tpr: r.baseline.fprAt95Tpr },
    },
  ];
}

export interface StoredBatch {
  id: string;
  job: string;
  start: number;
  n: number;
}

export async function storedBatches(sql: pg.ClientBase, runId: string): Promise<StoredBatch[]> {
  return (await sql.query<StoredBatch>('SELECT id, job, start, cardinality(ids) AS n FROM score_batch WHERE run_id = $1 ORDER BY id', [runId])).rows;
}

/**
 * The stored batches once their count holds still for 300 ms: after a SIGKILL, an INSERT the process sent just
 * before it died still commits in Postgres.
 */
export async function settledBatches(sql: pg.ClientBase, runId: string): Promise<StoredBatch[]> {
  let rows = await storedBatches(sql, runId);
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const again = await storedBatches(sql, runId);
    if (again.length === rows.length) return again;
    rows = again;
  }
}

/** Every batch window exactly once and every sample exactly once (counted one by one), of a run over `sets` sets of `n`; returns its batches. */
export async function expectEveryScoreOnce(sql: pg.ClientBase, runId: string, o: { n: number; batchSize: number; sets?: number }): Promise<StoredBatch[]> {
  const sets = o.sets ?? 2;
  const rows = await storedBatches(sql, runId);
  const windows = sets * Math.ceil(o.n / o.batchSize);
  expect(rows).toHaveLength(windows);
  expect(new Set(rows.map((r) => `${r.job}@${r.start}`)).size).toBe(windows);
  const { rows: counts } = await sql.query<{ all: number; distinct: number }>(
    'SELECT count(*)::int AS all, count(DISTINCT (b.dataset_id, i))::int AS distinct FROM score_batch b, unnest(b.indices) i WHERE b.run_id = $1',
    [runId],
  );
  expect(counts[0]).toEqual({ all: sets * o.n, distinct: sets * o.n });
  return rows;
}
