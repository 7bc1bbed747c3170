// The run worker: claims a run, evaluates it with the engine (resuming from stored batches), stores each batch and the results.
import { readFile } from 'node:fs/promises';
import { CancelledError, evaluate, jobsFromCheckpoints, readModel, type EvaluateResult, type Progress, type Runtime } from '@odin/engine';
import type PgBoss from 'pg-boss';
import type { Run as RunRow } from '../generated/prisma/client.ts';
import type { StoredSettings } from '../resources/run/run.service.ts';
import { decodeBatch, encodeCheckpoint, insertBatch } from '../scores/score-batch.ts';
import { resultRows } from '../scores/results.ts';
import { createServices, type Base } from '../services.ts';
import { RUN_QUEUE, type RunJob } from './queue.ts';

export interface WorkerOptions {
  base: Base;
  runtime: Runtime;
  workerId: string;
  threads?: number;
  /** How often a worker records that it is alive, and reports progress. */
  heartbeatMs?: number;
  /** A run whose heartbeat is older than this is taken over by another worker. */
  staleMs?: number;
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

export class RunWorker {
  private readonly active = new Map<string, AbortController>();
  private sweeper?: NodeJS.Timeout;
  private readonly heartbeatMs: number;
  private readonly staleMs: number;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: WorkerOptions) {
    this.heartbeatMs = opts.heartbeatMs ?? 1000;
    this.staleMs = opts.staleMs ?? 10_000;
    this.log = opts.log ?? ((l) => console.log(l));
  }

  private get db() {
    return this.opts.base.db;
  }

  async start(boss: PgBoss): Promise<void> {
    await boss.work<RunJob>(RUN_QUEUE, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => this.process(job.data.runId));
    await this.recoverStale();
    this.sweeper = setInterval(() => void this.recoverStale().catch((e) => this.log(`worker: recovery failed: ${e.message}`)), this.staleMs / 2);
  }

  /** Stops taking work; runs in progress stop after their current batch and stay RUNNING, to be resumed. */
  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    for (const c of this.active.values()) c.abort();
  }

  /** Requeues runs whose worker stopped without finishing them (killed, crashed or shut down). */
  async recoverStale(): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE run SET worker_id = NULL
       WHERE status = 'RUNNING' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${this.staleMs / 1000}))
       RETURNING id`;
    for (const { id } of rows) {
      this.log(`worker: run ${id} lost its worker; requeued`);
      await this.opts.base.queue.enqueue(id);
    }
    return rows.map((r) => r.id);
  }

  private async claim(runId: string): Promise<RunRow | undefined> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE run SET status = 'RUNNING', worker_id = ${this.opts.workerId}, heartbeat_at = now(), started_at = COALESCE(started_at, now()), error = NULL
       WHERE id = ${runId}::uuid AND (status = 'QUEUED' OR (status = 'RUNNING' AND (worker_id IS NULL OR heartbeat_at < now() - make_interval(secs => ${this.staleMs / 1000}))))
       RETURNING id`;
    return rows.length ? this.db.run.findUniqueOrThrow({ where: { id: runId } }) : undefined;
  }

  async process(runId: string): Promise<void> {
    const run = await this.claim(runId);
    if (!run) return;
    const abort = new AbortController();
    this.active.set(run.id, abort);
    let progress: Progress | undefined;
    const heartbeat = setInterval(() => void this.beat(run.id, progress, abort).catch(() => {}), this.heartbeatMs);
    try {
      const result = await this.evaluateRun(run, abort.signal, (p) => (progress = p));
      clearInterval(heartbeat);
      await this.finish(run, result);
    } catch (e) {
      clearInterval(heartbeat);
      if (e instanceof CancelledError) {
        // Cancelled by the user (already CANCELLED), or this worker is stopping: release the run for the next worker.
        await this.db.run.updateMany({ where: { id: run.id, status: 'RUNNING', workerId: this.opts.workerId }, data: { workerId: null, heartbeatAt: null } });
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      this.log(`worker: run ${run.id} failed: ${message}`);
      await this.db.run.updateMany({ where: { id: run.id, workerId: this.opts.workerId }, data: { status: 'FAILED', error: message, finishedAt: new Date() } });
    } finally {
      this.active.delete(run.id);
    }
  }

  /** Records progress and liveness; aborts when the run was cancelled, deleted or taken over. */
  private async beat(runId: string, p: Progress | undefined, abort: AbortController) {
    const data = { heartbeatAt: new Date(), ...(p ? { progress: p.total ? Math.min(1, p.done / p.total) : 0, phase: p.phase, imagesPerSecond: p.imagesPerSecond } : {}) };
    const { count } = await this.db.run.updateMany({ where: { id: runId, status: 'RUNNING', workerId: this.opts.workerId }, data });
    if (count === 0) abort.abort();
  }

  private async evaluateRun(run: RunRow, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<EvaluateResult> {
    const s = createServices(this.opts.base);
    const model = await s.models.get(run.modelId);
    const outIds = await s.loaders.runOutDatasetIds.load(run.id);
    const [inData, ...outData] = await Promise.all([run.inDatasetId, ...outIds].map(async (id) => s.datasets.open(await s.datasets.get(id))));
    const stored = await this.db.scoreBatch.findMany({ where: { runId: run.id } });
    if (stored.length) this.log(`worker: run ${run.id} resumes from ${stored.length} stored batch windows`);
    const settings = run.settings as StoredSettings;
    const writes = new OrderedWrites();
    return evaluate({
      model: readModel(await readFile(s.blobs.path(model.sha256))),
      inData,
      outData,
      runtime: this.opts.runtime,
      backend: run.backend === 'CUDA' ? 'cuda' : run.backend === 'WEBGPU' ? 'webgpu' : 'cpu',
      threads: this.opts.threads,
      mean: model.mean,
      std: model.std,
      input: model.inputName,
      batchSize: run.batchSize,
      temperature: settings.temperature,
      epsilon: settings.epsilon,
      search: settings.search && { val: settings.search.validationCount, temperatures: settings.search.temperatures, epsilons: settings.search.epsilons },
      resume: jobsFromCheckpoints(stored.map(decodeBatch)),
      signal,
      onProgress,
      onCheckpoint: (c) => writes.next(() => insertBatch(this.db, encodeCheckpoint(run.id, c))),
    }).then(async (result) => {
      await writes.drain();
      return result;
    });
  }

  private async finish(run: RunRow, result: EvaluateResult) {
    await this.db.$transaction([
      this.db.runResult.deleteMany({ where: { runId: run.id } }),
      this.db.runResult.createMany({ data: resultRows(run.id, result) }),
      this.db.run.updateMany({
        where: { id: run.id, workerId: this.opts.workerId, status: 'RUNNING' },
        data: { status: 'SUCCEEDED', progress: 1, phase: null, accuracy: result.accuracy ?? null, imagesPerSecond: result.timing.imagesPerSecond || undefined, finishedAt: new Date() },
      }),
    ]);
  }
}
