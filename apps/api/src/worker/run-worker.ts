// The run worker: plans a run as shards, scores the shards it is given (resuming from stored batches), and finishes runs from stored scores.
import { readFile } from 'node:fs/promises';
import { CancelledError, ODIN_IO, evaluate, jobsFromCheckpoints, readModel, scoreDataset, type Backend, type OdinSession, type Runtime } from '@odin/engine';
import type PgBoss from 'pg-boss';
import type pg from 'pg';
import type { StoredSettings } from '../resources/run/run.service.ts';
import { decodeBatch, encodeCheckpoint } from '../scores/score-batch.ts';
import { resultRows } from '../scores/results.ts';
import { createServices, type Base, type Services } from '../services.ts';
import type { BlobSource } from './blob-source.ts';
import { isConnectionError } from '../db/connection-errors.ts';
import type { CompiledGraph, GraphCache } from './graph-cache.ts';
import { RUN_QUEUE, SHARD_QUEUE, sendShard, type RunJob, type ShardJob } from './queue.ts';
import {
  beatShard,
  claimShard,
  expectedImages,
  firstStage,
  insertShardBatch,
  insertShards,
  notifyRun,
  shardResume,
  testStage,
  updateRunProgress,
  type Claim,
  type RunPlanInput,
} from './shards.ts';

export interface WorkerOptions {
  base: Base;
  pool: pg.Pool;
  boss: PgBoss;
  runtime: Runtime;
  blobs: BlobSource;
  graphs: GraphCache;
  workerId: string;
  threads?: number;
  /** Shards this worker scores at once. */
  concurrency?: number;
  /** The backend this worker runs graphs on; default: each run's own. */
  backend?: Backend;
  /** How often a worker reports a shard's progress. */
  heartbeatMs?: number;
  /** How long one job scores a shard before it goes on in a new job; default half the job expiry. */
  sliceMs?: number;
  log?: (line: string) => void;
}

/**
 * Batch writes in order, one at a time, each overlapping the scoring of the next batch: `next` resolves once the
 * previous write is done. The stored windows stay a contiguous prefix, so a crash loses at most the batch in flight.
 */
class OrderedWrites {
  private last: Promise<unknown> = Promise.resolve();

  async next(write: () => Promise<unknown>): Promise<void> {
    const previous = this.last;
    this.last = previous.then(write);
    // Handled where it is awaited (the next call or drain); this only keeps it from counting as unhandled meanwhile.
    this.last.catch(() => {});
    await previous;
  }

  async drain(): Promise<void> {
    await this.last;
  }
}

const toBackend = (b: string): Backend => (b === 'CUDA' ? 'cuda' : b === 'WEBGPU' ? 'webgpu' : 'cpu');

/** Idle ONNX Runtime sessions by graph and backend, reused by the shards that follow. */
class SessionPool {
  private readonly idle = new Map<string, OdinSession[]>();

  constructor(
    private readonly runtime: Runtime,
    private readonly threads: number | undefined,
    private readonly keep: number,
  ) {}

  async acquire(graph: CompiledGraph, backend: Backend): Promise<{ session: OdinSession; release: () => void }> {
    const key = `${graph.key}|${backend}`;
    const session = this.idle.get(key)?.pop() ?? (await this.runtime.createSession(graph.bytes, { backend, threads: this.threads }));
    return {
      session,
      release: () => {
        const list = this.idle.get(key) ?? [];
        if (list.length < this.keep) {
          list.push(session);
          this.idle.set(key, list);
        } else void session.release();
      },
    };
  }

  async close(): Promise<void> {
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    await Promise.all(all.map((s) => s.release()));
  }
}

/**
 * A runtime whose sessions start on their first batch. finish() calls evaluate() with every score already stored,
 * so normally no session is needed at all.
 */
function lazyRuntime(runtime: Runtime): Runtime {
  return {
    backends: runtime.backends,
    async createSession(model, options) {
      let real: Promise<OdinSession> | undefined;
      const get = () => (real ??= runtime.createSession(model, options));
      return {
        backend: options.backend,
        inputNames: Object.values(ODIN_IO.inputs),
        outputNames: Object.values(ODIN_IO.outputs),
        run: async (feeds, outputs) => (await get()).run(feeds, outputs),
        release: async () => void (real && (await (await real).release())),
      };
    },
  };
}

export class RunWorker {
  private readonly active = new Set<AbortController>();
  private readonly sessions: SessionPool;
  private readonly log: (line: string) => void;
  private stopping = false;

  constructor(private readonly opts: WorkerOptions) {
    this.log = opts.log ?? ((l) => console.log(l));
    this.sessions = new SessionPool(opts.runtime, opts.threads, opts.concurrency ?? 1);
  }

  private get db() {
    return this.opts.base.db;
  }

  async start(): Promise<void> {
    const { boss } = this.opts;
    const options = { batchSize: 1, pollingIntervalSeconds: 1 };
    await boss.work<RunJob>(RUN_QUEUE, options, async ([job]) => this.advance(job.data.runId));
    // pg-boss 10 has no per-worker concurrency option: one polling loop per slot.
    for (let i = 0; i < (this.opts.concurrency ?? 1); i++) await boss.work<ShardJob>(SHARD_QUEUE, options, async ([job]) => this.shard(job.data.shardId));
  }

  /** Stops taking work; shards in progress stop after their current batch and their jobs fail, to be retried at once by any worker. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const c of this.active) c.abort();
  }

  /** Releases the sessions; call after pg-boss has stopped. */
  async close(): Promise<void> {
    await this.sessions.close();
  }

  private async planInput(s: Services, runId: string): Promise<RunPlanInput & { modelId: string; backend: string }> {
    const run = await this.db.run.findUniqueOrThrow({ where: { id: runId } });
    const outIds = await s.loaders.runOutDatasetIds.load(runId);
    const [inRow, ...outRows] = await Promise.all([run.inDatasetId, ...outIds].map((id) => s.datasets.get(id)));
    const size = (d: typeof inRow) => ({ id: d.id, size: d.itemCount });
    return { settings: run.settings as StoredSettings, batchSize: run.batchSize, inDataset: size(inRow), outDatasets: outRows.map(size), modelId: run.modelId, backend: run.backend };
  }

  /**
   * A run's job: plans the next stage (the first shards, or a search's test shards once its grid is scored), or, with
   * every shard done, computes the results from the stored scores. Idempotent: the run row is locked while planning,
   * and shards and their jobs are created in one transaction.
   */
  async advance(runId: string): Promise<void> {
    const s = createServices(this.opts.base);
    const { client, release } = await this.checkOut();
    let finish = false;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ status: string }>('SELECT status FROM run WHERE id = $1 FOR UPDATE', [runId]);
      if (rows.length === 0 || !['QUEUED', 'RUNNING'].includes(rows[0].status)) return void (await client.query('ROLLBACK'));
      const shards = (await client.query<{ stage: string; status: string; start: number; stop: number }>('SELECT stage, status, start, stop FROM run_shard WHERE run_id = $1', [runId])).rows;
      // Shards still out: their own jobs carry the run on.
      if (shards.some((x) => x.status !== 'DONE')) return void (await client.query('ROLLBACK'));
      const run = await this.planInput(s, runId);
      let plans;
      if (shards.length === 0) plans = firstStage(run, this.opts.base.config.shardSize);
      else if (run.settings.search && !shards.some((x) => x.stage === 'test')) {
        const stored = await this.db.scoreBatch.findMany({ where: { runId, phase: 'search' } });
        plans = testStage(run, jobsFromCheckpoints(stored.map(decodeBatch)), this.opts.base.config.shardSize);
      }
      if (plans) {
        const ids = await insertShards(client, runId, plans);
        for (const id of ids) await sendShard(this.opts.boss, { runId, shardId: id }, this.opts.base.config, client);
        await client.query(`UPDATE run SET status = 'RUNNING', started_at = COALESCE(started_at, now()), error = NULL WHERE id = $1`, [runId]);
        this.log(`worker: run ${runId}: ${ids.length} ${plans[0].stage} shards queued`);
      } else finish = true;
      await client.query('COMMIT');
      await updateRunProgress(client, runId, expectedImages(run, [...shards, ...(plans ?? [])]), plans ? 'queued' : 'metrics');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      await this.fail(runId, e);
      return;
    } finally {
      release();
    }
    if (finish) await this.finish(s, runId).catch((e) => this.fail(runId, e));
  }

  /**
   * A pooled client for a transaction. Its connection lost between two queries (a Postgres restart) is an 'error'
   * event, which would end the process without a listener; the next query fails instead, and the job is retried.
   */
  private async checkOut(): Promise<{ client: pg.PoolClient; release: () => void }> {
    const client = await this.opts.pool.connect();
    const onError = (e: Error) => this.log(`worker: a database connection closed mid-transaction: ${e.message}`);
    client.on('error', onError);
    return {
      client,
      release: () => {
        client.off('error', onError);
        client.release();
      },
    };
  }

  /** Fails the run, unless the database went away: then the job fails instead, and pg-boss retries it once it is back. */
  private async fail(runId: string, e: unknown) {
    if (isConnectionError(e)) throw e;
    const message = e instanceof Error ? e.message : String(e);
    this.log(`worker: run ${runId} failed: ${message}`);
    const { count } = await this.db.run.updateMany({ where: { id: runId, status: { in: ['QUEUED', 'RUNNING'] } }, data: { status: 'FAILED', error: message, finishedAt: new Date(), etaSeconds: null } });
    if (count) await notifyRun(this.opts.pool, runId);
  }

  private async openDataset(s: Services, id: string) {
    const row = await s.datasets.get(id);
    await this.opts.blobs.ensureDataset(row, s.datasets.folder(row.id));
    return s.datasets.open(row);
  }

  private async modelSource(s: Services, modelId: string) {
    const model = await s.models.get(modelId);
    return { model, bytes: async () => new Uint8Array(await readFile(await this.opts.blobs.path(model.sha256))) };
  }

  /** Scores one shard from where its stored batches end; only the latest claim's batches are stored. */
  async shard(shardId: string): Promise<void> {
    const claim = await claimShard(this.opts.pool, shardId, this.opts.workerId);
    if (!claim) return;
    const jobStarted = performance.now();
    const { shard } = claim;
    const abort = new AbortController();
    let sliced = false;
    this.active.add(abort);
    const s = createServices(this.opts.base);
    let beat: NodeJS.Timeout | undefined;
    try {
      const run = await this.planInput(s, shard.runId);
      const { model, bytes } = await this.modelSource(s, run.modelId);
      const backend = this.opts.backend ?? toBackend(run.backend);
      const [dataset, graph] = await Promise.all([
        this.openDataset(s, shard.datasetId),
        this.opts.graphs.get({ modelSha256: model.sha256, inputSize: model.inputSize, mean: model.mean, std: model.std, input: model.inputName, backend }, bytes),
      ]);
      const stored = await this.db.scoreBatch.findMany({ where: { runId: shard.runId, job: shard.job, start: { gte: shard.start, lt: shard.stop } } });
      const resume = shardResume(shard, stored.map(decodeBatch));
      if (resume) this.log(`worker: shard ${shard.id} resumes from ${stored.length} stored batch windows`);
      const expected = expectedImages(run, (await this.opts.pool.query('SELECT stage, start, stop FROM run_shard WHERE run_id = $1', [shard.runId])).rows);
      const phase = `${shard.stage === 'search' ? `search T=${shard.temperature} ` : ''}score ${shard.datasetId} ${shard.start}-${shard.stop}`;
      const started = performance.now();
      let done = (resume?.next ?? shard.start) - shard.start;
      let scored = 0;
      /** Images per second this claim has scored so far; null before its first stored batch. */
      const rate = () => {
        const seconds = (performance.now() - started) / 1000;
        return scored && seconds > 0 ? scored / seconds : null;
      };
      const sliceMs = this.opts.sliceMs ?? (this.opts.base.config.shardExpireSeconds * 1000) / 2;
      const report = async () => {
        // pg-boss 10 has no heartbeat: a job that outlives its expiry is retried on another worker. A shard slower
        // than that (a big model) stops after half the expiry, once it has stored a batch, and goes on in a new job.
        if (!sliced && scored > 0 && performance.now() - jobStarted > sliceMs) {
          sliced = true;
          abort.abort();
        }
        if (!(await beatShard(this.opts.pool, claim, done, rate(), expected, phase))) abort.abort();
      };
      beat = setInterval(() => void report().catch(() => {}), this.opts.heartbeatMs ?? 1000);
      const { session, release } = await this.sessions.acquire(graph, backend);
      const writes = new OrderedWrites();
      try {
        await scoreDataset({
          session,
          dataset,
          spec: graph.spec,
          temperature: shard.temperature,
          epsilon: shard.epsilons,
          batchSize: run.batchSize,
          start: shard.start,
          end: shard.stop,
          resume,
          signal: abort.signal,
          ...{ oneAtATime: graph.oneAtATime },
          onCheckpoint: (c) =>
            writes.next(async () => {
              const row = encodeCheckpoint(shard.runId, { ...c, job: shard.job, phase: shard.stage });
              if (!(await insertShardBatch(this.opts.pool, shard.id, claim.lease, row))) return abort.abort();
              done = c.next - shard.start;
              scored += c.next - c.start;
            }),
        });
        await writes.drain();
      } finally {
        release();
      }
      clearInterval(beat);
      // A slice that ended with the last batch has nothing left for a new job.
      if (abort.signal.aborted && !(sliced && done === shard.stop - shard.start)) throw new CancelledError(undefined);
      await this.completeShard(claim, expected, rate());
      this.log(`worker: shard ${shard.id} done, ${scored} images scored by this claim`);
    } catch (e) {
      clearInterval(beat);
      if (e instanceof CancelledError) {
        // Stopping: fail the job so pg-boss retries it on any worker; cancelled run, deleted run or lost lease: nothing more to do.
        if (this.stopping) throw new Error(`worker ${this.opts.workerId} stopped during shard ${shard.id}`);
        // Sliced while still holding the lease (a worker thawed after its shard was taken over must not take it back).
        if (sliced && (await this.opts.pool.query('SELECT 1 FROM run_shard WHERE id = $1 AND lease = $2', [shard.id, claim.lease])).rowCount) {
          await sendShard(this.opts.boss, { runId: shard.runId, shardId: shard.id }, this.opts.base.config, this.opts.pool);
          return this.log(`worker: shard ${shard.id} goes on in a new job after ${((performance.now() - jobStarted) / 1000).toFixed(1)} s (jobs expire after ${this.opts.base.config.shardExpireSeconds} s)`);
        }
        this.log(`worker: shard ${shard.id} stopped (run cancelled or shard taken over)`);
        return;
      }
      await this.fail(shard.runId, e);
    } finally {
      this.active.delete(abort);
    }
  }

  /** Marks the shard done; the last shard of a stage queues the run's next job in the same transaction. */
  private async completeShard(claim: Claim, expected: number, imagesPerSecond: number | null): Promise<void> {
    const { client, release } = await this.checkOut();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM run WHERE id = $1 FOR UPDATE', [claim.shard.runId]);
      const { rowCount } = await client.query(`UPDATE run_shard SET status = 'DONE', done = stop - start, images_per_second = $3, heartbeat_at = now() WHERE id = $1 AND lease = $2`, [claim.shard.id, claim.lease, imagesPerSecond]);
      if (!rowCount) return void (await client.query('ROLLBACK'));
      const { rows } = await client.query<{ left: number }>(`SELECT count(*)::int AS left FROM run_shard WHERE run_id = $1 AND status <> 'DONE'`, [claim.shard.runId]);
      if (rows[0].left === 0) await this.opts.base.queue.enqueue(claim.shard.runId, client);
      await client.query('COMMIT');
      await updateRunProgress(client, claim.shard.runId, expected, rows[0].left === 0 ? 'metrics' : null);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      release();
    }
  }

  /** The final job: evaluate() over the stored scores (nothing left to score), then the results, unless the run was cancelled meanwhile. */
  private async finish(s: Services, runId: string): Promise<void> {
    const run = await this.db.run.findUniqueOrThrow({ where: { id: runId } });
    const { model, bytes } = await this.modelSource(s, run.modelId);
    const outIds = await s.loaders.runOutDatasetIds.load(runId);
    const [inData, ...outData] = await Promise.all([run.inDatasetId, ...outIds].map((id) => this.openDataset(s, id)));
    const stored = await this.db.scoreBatch.findMany({ where: { runId } });
    const settings = run.settings as StoredSettings;
    const result = await evaluate({
      model: readModel(await bytes()),
      inData,
      outData,
      runtime: lazyRuntime(this.opts.runtime),
      backend: this.opts.backend ?? toBackend(run.backend),
      threads: this.opts.threads,
      mean: model.mean,
      std: model.std,
      input: model.inputName,
      ...{ inputSize: model.inputSize },
      batchSize: run.batchSize,
      temperature: settings.temperature,
      epsilon: settings.epsilon,
      search: settings.search && {
        mode: settings.search.mode === 'ID_ONLY' ? 'id-only' : 'ood-validation',
        val: settings.search.validationCount,
        temperatures: settings.search.temperatures,
        epsilons: settings.search.epsilons,
      },
      resume: jobsFromCheckpoints(stored.map(decodeBatch)),
    });
    if (result.timing.images > 0) this.log(`worker: run ${runId}: the final job scored ${result.timing.images} images no shard had stored`);
    const rate = await this.opts.pool.query<{ rate: number | null }>(
      `SELECT (sum(s.stop - s.start) / NULLIF(EXTRACT(EPOCH FROM max(s.heartbeat_at) - r.started_at), 0))::float8 AS rate
         FROM run_shard s JOIN run r ON r.id = s.run_id WHERE s.run_id = $1 GROUP BY r.started_at`,
      [runId],
    );
    const written = await this.db.$transaction(async (tx) => {
      const { count } = await tx.run.updateMany({
        where: { id: runId, status: 'RUNNING' },
        data: { status: 'SUCCEEDED', progress: 1, phase: null, etaSeconds: 0, accuracy: result.accuracy ?? null, imagesPerSecond: rate.rows[0]?.rate ?? null, finishedAt: new Date() },
      });
      if (count === 0) return false;
      await tx.runResult.deleteMany({ where: { runId } });
      await tx.runResult.createMany({ data: resultRows(runId, result) });
      return true;
    });
    if (written) {
      this.log(`worker: run ${runId} succeeded`);
      await notifyRun(this.opts.pool, runId);
    }
  }
}
