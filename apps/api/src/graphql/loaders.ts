// Per-request DataLoaders: one batched query per relation, whatever the page size.
import DataLoader from 'dataloader';
import { sql, type Db } from '../db/client.ts';
import { RUN_COLUMNS, RUN_RESULT_SUMMARY_COLUMNS, type RunResultSummary } from '../db/rows.ts';
import { runShardsLoader } from '../resources/run/run-shards.ts';
import { isUuid } from './ids.ts';
import type { Dataset, Model, Run, RunResult } from '../generated/prisma/client.ts';

function byId<T extends { id: string }>(find: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await find(valid) : [];
    const map = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
}

function groupBy<T>(keys: readonly string[], rows: T[], key: (r: T) => string): T[][] {
  const map = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const r of rows) map.get(key(r))?.push(r);
  return keys.map((k) => map.get(k)!);
}

export function createLoaders(db: Db) {
  return {
    model: byId<Model>((ids) => db.model.findMany({ where: { id: { in: ids } } })),
    dataset: byId<Dataset>((ids) => db.dataset.findMany({ where: { id: { in: ids } } })),
    run: byId<Run>((ids) => sql(db)<Run>(`SELECT ${RUN_COLUMNS} FROM run WHERE id = ANY($1::uuid[])`, [ids])),
    runOutDatasetIds: new DataLoader<string, string[]>(async (runIds) => {
      const rows = await db.runOutDataset.findMany({ where: { runId: { in: [...runIds] } }, orderBy: { position: 'asc' } });
      return groupBy(runIds, rows, (r) => r.runId).map((g) => g.map((r) => r.datasetId));
    }),
    // A list of runs asks for metrics; the curves, histograms and grid (hundreds of KB per result) load only when asked for.
    runResults: new DataLoader<string, RunResultSummary[]>(async (runIds) => {
      const rows = await sql(db)<RunResultSummary>(`SELECT ${RUN_RESULT_SUMMARY_COLUMNS} FROM run_result WHERE run_id = ANY($1::uuid[]) ORDER BY position`, [runIds]);
      return groupBy(runIds, rows, (r) => r.runId);
    }),
    runShards: runShardsLoader(db),
    runResultDetails: byId<Pick<RunResult, 'id' | 'curves' | 'histograms' | 'grid'>>((ids) =>
      db.runResult.findMany({ where: { id: { in: ids } }, select: { id: true, curves: true, histograms: true, grid: true } }),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
