// Shards: a run's scoring jobs cut into index ranges, their leases, batch writes that only the lease holder can make, and progress.
import { chooseIdOnlySetting, chooseSetting, gridFor, idGridFor, jobsFromCheckpoints, type ScoreJobs } from '@odin/engine';
import type pg from 'pg';
import { RUN_UPDATED_CHANNEL } from '../graphql/pubsub.ts';
import type { StoredSettings } from '../resources/run/run.service.ts';
import type { ScoreBatchRow } from '../scores/score-batch.ts';

export type Stage = 'search' | 'test';

export interface ShardPlan {
  stage: Stage;
  /** The engine's job key of the whole range (what evaluate() would call the job), so stored batches resume it. */
  job: string;
  datasetId: string;
  temperature: number;
  epsilons: number[];
  start: number;
  stop: number;
}

export interface Shard extends ShardPlan {
  id: string;
  runId: string;
}

/** What planning needs of a run: its settings, batch size and the item counts of its sets (in-distribution first). */
export interface RunPlanInput {
  settings: StoredSettings;
  batchSize: number;
  inDataset: { id: string; size: number };
  outDatasets: { id: string; size: number }[];
}

/** The engine's job key (evaluate.ts): dataset name (our dataset id), raw range, T and the ε list. */
export const jobKey = (datasetId: string, start: number, stop: number, T: number, eps: number[]) => `${datasetId}|${start}-${stop}|T=${T}|eps=${eps.join(',')}`;

/**
 * Cuts [start, stop) into shards of about `shardSize` images. Shard edges fall on whole batches from the start of the
 * range, so a shard's batch windows are exactly the windows one uninterrupted evaluate() call scores.
 */
export function sliceJob(stage: Stage, datasetId: string, start: number, stop: number, T: number, eps: number[], batchSize: number, shardSize: number): ShardPlan[] {
  const width = Math.max(1, Math.round(shardSize / batchSize)) * batchSize;
  const job = jobKey(datasetId, start, stop, T, eps);
  const shards: ShardPlan[] = [];
  for (let s = start; s < stop; s += width) shards.push({ stage, job, datasetId, temperature: T, epsilons: eps, start: s, stop: Math.min(s + width, stop) });
  return shards;
}

/** The id-only search tunes on the in-distribution validation split alone and tests the OOD sets in full. */
const idOnly = (st: StoredSettings) => st.search?.mode === 'ID_ONLY';

/** The first stage: every set at (T, ε) for a fixed run; the validation splits over the T×ε grid for a search. */
export function firstStage(run: RunPlanInput, shardSize: number): ShardPlan[] {
  const { settings: st, batchSize: bs, inDataset, outDatasets } = run;
  if (!st.search) {
    const eps = [st.epsilon!];
    return [inDataset, ...outDatasets].flatMap((d) => sliceJob('test', d.id, 0, d.size, st.temperature!, eps, bs, shardSize));
  }
  const { temperatures, epsilons, validationCount: val } = st.search;
  // As evaluate() does: the in-distribution split once per T, then each (distinct) OOD set.
  const tuneOn = idOnly(st) ? [inDataset] : [inDataset, ...outDatasets];
  return temperatures.flatMap((T) => tuneOn.flatMap((d) => sliceJob('search', d.id, 0, val, T, epsilons, bs, shardSize)));
}

/** The (T, ε) a search chose for each OOD set, from its stored validation scores, by the engine's own rules. */
export function chooseSettings(run: RunPlanInput, jobs: ScoreJobs): Map<string, { temperature: number; epsilon: number }> {
  const { temperatures, epsilons, validationCount: val } = run.settings.search!;
  const inVal = (T: number) => jobs[jobKey(run.inDataset.id, 0, val, T, epsilons)];
  if (idOnly(run.settings)) {
    const chosen = chooseIdOnlySetting(idGridFor(inVal(temperatures[0]), temperatures[0], epsilons));
    return new Map(run.outDatasets.map((d) => [d.id, chosen]));
  }
  const chosen = new Map<string, { temperature: number; epsilon: number }>();
  for (const d of run.outDatasets) chosen.set(d.id, chooseSetting(temperatures.flatMap((T) => gridFor(inVal(T), jobs[jobKey(d.id, 0, val, T, epsilons)], T, epsilons))));
  return chosen;
}

/** The test stage of a search: each OOD set's test split at its chosen setting, and the in-distribution split once per distinct setting. */
export function testStage(run: RunPlanInput, jobs: ScoreJobs, shardSize: number): ShardPlan[] {
  const val = run.settings.search!.validationCount;
  const outStart = idOnly(run.settings) ? 0 : val;
  const seen = new Set<string>();
  const plans: ShardPlan[] = [];
  for (const [id, c] of chooseSettings(run, jobs)) {
    const key = `${c.temperature}|${c.epsilon}`;
    if (!seen.has(key)) plans.push(...sliceJob('test', run.inDataset.id, val, run.inDataset.size, c.temperature, [c.epsilon], run.batchSize, shardSize));
    seen.add(key);
    plans.push(...sliceJob('test', id, outStart, run.outDatasets.find((d) => d.id === id)!.size, c.temperature, [c.epsilon], run.batchSize, shardSize));
  }
  return plans;
}

/** Images the run will score in all: the planned shards, plus (until a search has chosen) one setting's test splits, as evaluate() estimates. */
export function expectedImages(run: RunPlanInput, shards: { stage: string; start: number; stop: number }[]): number {
  const planned = shards.reduce((a, s) => a + s.stop - s.start, 0);
  const val = run.settings.search?.validationCount;
  if (val === undefined || shards.some((s) => s.stage === 'test')) return planned;
  const outHeldOut = idOnly(run.settings) ? 0 : val;
  return planned + run.inDataset.size - val + run.outDatasets.reduce((a, d) => a + d.size - outHeldOut, 0);
}

/** Stored batches of one shard as the engine's resume state of the shard's own range; undefined when none is stored. */
export function shardResume(shard: ShardPlan, checkpoints: Parameters<typeof jobsFromCheckpoints>[0]) {
  if (checkpoints.length === 0) return undefined;
  const key = jobKey(shard.datasetId, shard.start, shard.stop, shard.temperature, shard.epsilons);
  return jobsFromCheckpoints(checkpoints.map((c) => ({ ...c, job: key })))[key];
}

// --- SQL -------------------------------------------------------------------------------------------------------------

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function insertShards(db: Queryable, runId: string, plans: ShardPlan[]): Promise<string[]> {
  if (plans.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO run_shard (id, run_id, stage, job, dataset_id, temperature, epsilons, start, stop)
     SELECT gen_random_uuid(), $1, p.stage, p.job, p.dataset_id, p.temperature, ARRAY(SELECT jsonb_array_elements_text(p.epsilons)::float8), p.start, p.stop
       FROM jsonb_to_recordset($2::jsonb) AS p(stage text, job text, dataset_id uuid, temperature float8, epsilons jsonb, start int, stop int)
     ON CONFLICT (run_id, job, start) DO NOTHING RETURNING id`,
    [runId, JSON.stringify(plans.map((p) => ({ stage: p.stage, job: p.job, dataset_id: p.datasetId, temperature: p.temperature, epsilons: p.epsilons, start: p.start, stop: p.stop })))],
  );
  return rows.map((r) => r.id);
}

export interface Claim {
  shard: Shard;
  lease: string;
}

const SHARD_COLUMNS = 's.id, s.run_id AS "runId", s.stage, s.job, s.dataset_id AS "datasetId", s.temperature, s.epsilons, s.start, s.stop';

/**
 * Takes the shard for this worker with a new lease, unless it is done or its run is over. The latest claim wins:
 * a worker whose job expired while it was still alive loses the shard at its next write.
 */
export async function claimShard(db: Queryable, shardId: string, workerId: string): Promise<Claim | undefined> {
  const { rows } = await db.query<Shard & { lease: string }>(
    `UPDATE run_shard s SET lease = gen_random_uuid(), worker_id = $2, status = 'RUNNING', heartbeat_at = now()
       FROM run r WHERE s.id = $1 AND r.id = s.run_id AND r.status IN ('QUEUED', 'RUNNING') AND s.status <> 'DONE'
     RETURNING ${SHARD_COLUMNS}, s.lease`,
    [shardId, workerId],
  );
  if (rows.length === 0) return undefined;
  const { lease, ...shard } = rows[0];
  // Run.shards changed: pages (and the API's response cache) hear of it now, not at the next progress report.
  await notifyRun(db, shard.runId);
  return { shard, lease };
}

/**
 * Stores one batch window if this worker still holds the shard's lease and the run is RUNNING; false otherwise (the
 * caller stops). The shard row is share-locked, so a concurrent claim waits for this write or makes it fail; a window
 * stored before is left as it is.
 */
export async function insertShardBatch(db: Queryable, shardId: string, lease: string, r: ScoreBatchRow): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(
    `WITH ok AS (
       SELECT s.id FROM run_shard s JOIN run r ON r.id = s.run_id
        WHERE s.id = $1 AND s.lease = $2 AND r.status = 'RUNNING' FOR SHARE OF s
     ), ins AS (
       INSERT INTO score_batch (run_id, job, dataset_id, phase, temperature, epsilons, start, next, ids, indices, labels, prediction, msp, energy, odin, skipped)
       SELECT $3, $4, $5, $6, $7, $8::float8[], $9, $10, $11::text[], $12::int[], $13::int[], $14::int[], $15, $16, $17, $18::jsonb FROM ok
       ON CONFLICT (run_id, job, start) DO NOTHING RETURNING 1
     )
     SELECT EXISTS (SELECT 1 FROM ok) AS ok, (SELECT count(*) FROM ins) AS inserted`,
    [shardId, lease, r.runId, r.job, r.datasetId, r.phase, r.temperature, r.epsilons, r.start, r.next, r.ids, r.indices, r.labels, r.prediction,
      Buffer.from(r.msp), Buffer.from(r.energy), Buffer.from(r.odin), JSON.stringify(r.skipped)],
  );
  return rows[0].ok;
}

/** Records a shard's progress, then the run's (all its shards together); false when the lease or the run is gone. */
export async function beatShard(db: Queryable, claim: Claim, done: number, imagesPerSecond: number | null, expected: number, phase: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE run_shard SET done = $3, images_per_second = $4, heartbeat_at = now() WHERE id = $1 AND lease = $2', [claim.shard.id, claim.lease, done, imagesPerSecond]);
  if (!rowCount) return false;
  return updateRunProgress(db, claim.shard.runId, expected, phase);
}

/**
 * progress, images/s and ETA of a RUNNING run, and a NOTIFY for its subscribers. The rate sums, per worker heard from
 * in the last 5 s, its running shards' rates, or, between two shards, the rate of the one it just finished (a shard
 * can finish before its first report).
 */
export async function updateRunProgress(db: Queryable, runId: string, expected: number, phase: string | null): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE run r SET progress = LEAST(1, a.done / $2), images_per_second = a.rate, phase = $3, heartbeat_at = now(),
            eta_seconds = CASE WHEN a.rate > 0 THEN GREATEST(0, $2 - a.done) / a.rate END
       FROM (SELECT COALESCE(sum(done), 0)::float8 AS done,
                    (SELECT sum(w.rate) FROM (
                       SELECT COALESCE(sum(images_per_second) FILTER (WHERE status = 'RUNNING'),
                                       (array_agg(images_per_second ORDER BY heartbeat_at DESC) FILTER (WHERE status = 'DONE'))[1]) AS rate
                         FROM run_shard
                        WHERE run_id = $1 AND heartbeat_at > now() - interval '5 seconds' AND images_per_second IS NOT NULL
                        GROUP BY worker_id) w) AS rate
               FROM run_shard WHERE run_id = $1) a
      WHERE r.id = $1 AND r.status = 'RUNNING'`,
    [runId, Math.max(1, expected), phase],
  );
  if (rowCount) await notifyRun(db, runId);
  return rowCount === 1;
}

export async function notifyRun(db: Queryable, runId: string): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [RUN_UPDATED_CHANNEL, runId]);
}
