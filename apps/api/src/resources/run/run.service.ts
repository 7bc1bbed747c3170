// Runs: validation and queueing, cancel/rerun/delete, results as stored by the worker, hardest samples and the scores CSV.
import { DEFAULT_EPSILONS, DEFAULT_EPSILON, DEFAULT_TEMPERATURE, DEFAULT_TEMPERATURES } from '@odin/engine';
import type { Run as RunRow, RunResult as RunResultRow } from '../../generated/prisma/client.ts';
import { badInput, notFound } from '../../graphql/errors.ts';
import { sql } from '../../db/client.ts';
import { RUN_COLUMNS, type RunResultSummary } from '../../db/rows.ts';
import { isUuid } from '../../graphql/ids.ts';
import { RUN_UPDATED_CHANNEL } from '../../graphql/pubsub.ts';
import { lazy, pageQuery, toConnection, type PageArgs } from '../../graphql/connection.ts';
import { decodeBatch } from '../../scores/score-batch.ts';
import type { Services } from '../../services.ts';
import type { StartRunInput } from './run.input.ts';
import { RunOrder, SearchMode, type Backend, type HardestSamples, type Run, type RunResult, type RunSettings, type RunStatus, type ScoredSample } from './run.type.ts';

export interface StoredSettings {
  temperature?: number;
  epsilon?: number;
  /** mode is absent in runs stored before the ID-only search existed: those are OOD_VALIDATION. */
  search?: { mode?: SearchMode; temperatures: number[]; epsilons: number[]; validationCount: number };
}

export const DEFAULT_BATCH_SIZE = 64;
const MAX_BATCH_SIZE = 4096;
const ACTIVE: RunStatus[] = ['QUEUED', 'RUNNING'];

export function toRun(row: RunRow): Run {
  const s = row.settings as StoredSettings;
  const settings: RunSettings = { temperature: s.temperature ?? null, epsilon: s.epsilon ?? null, search: s.search ? { mode: SearchMode.OOD_VALIDATION, ...s.search } : null };
  return { ...row, settings };
}

/** A result row as the GraphQL RunResult; curves, histograms and grid come from its field resolvers when absent. */
export const toResult = (row: RunResultRow | RunResultSummary): RunResult => row as unknown as RunResult;

function checkSettings(input: StartRunInput): StoredSettings {
  if (input.search) {
    if (input.temperature != null || input.epsilon != null) throw badInput('give either temperature/epsilon or search, not both');
    const mode = input.search.mode ?? SearchMode.OOD_VALIDATION;
    const temperatures = input.search.temperatures ?? (mode === SearchMode.ID_ONLY ? [DEFAULT_TEMPERATURE] : DEFAULT_TEMPERATURES);
    const epsilons = input.search.epsilons ?? DEFAULT_EPSILONS;
    const validationCount = input.search.validationCount ?? 1000;
    if (temperatures.length === 0 || temperatures.some((t) => !(t > 0) || !Number.isFinite(t))) throw badInput('search.temperatures must be positive numbers');
    if (mode === SearchMode.ID_ONLY && temperatures.length !== 1) throw badInput('an ID_ONLY search keeps T fixed: give one temperature');
    if (epsilons.length === 0 || epsilons.some((e) => !(e >= 0) || !Number.isFinite(e))) throw badInput('search.epsilons must be non-negative numbers');
    if (!Number.isInteger(validationCount) || validationCount <= 0) throw badInput('search.validationCount must be a positive integer');
    return { search: { mode, temperatures, epsilons, validationCount } };
  }
  const temperature = input.temperature ?? DEFAULT_TEMPERATURE;
  const epsilon = input.epsilon ?? DEFAULT_EPSILON;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw badInput('temperature must be a positive number');
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw badInput('epsilon must be a non-negative number');
  return { temperature, epsilon };
}

export class RunService {
  constructor(private readonly s: Services) {}

  async start(input: StartRunInput): Promise<Run> {
    const settings = checkSettings(input);
    const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(batchSize) || batchSize <= 0 || batchSize > MAX_BATCH_SIZE) throw badInput(`batchSize must be an integer in [1, ${MAX_BATCH_SIZE}]`);
    if (input.outDatasetIds.length === 0) throw badInput('outDatasetIds needs at least one OOD dataset');
    if (new Set(input.outDatasetIds).size !== input.outDatasetIds.length) throw badInput('outDatasetIds names a dataset twice');
    if (input.outDatasetIds.includes(input.inDatasetId)) throw badInput('the in-distribution dataset cannot also be an OOD dataset');
    const model = await this.s.models.get(input.modelId);
    if (!model.odinCompiles) throw badInput(`model ${model.id} cannot be compiled for ODIN: ${model.odinError}`);
    const sets = await Promise.all([input.inDatasetId, ...input.outDatasetIds].map((id) => this.s.datasets.get(id)));
    const val = settings.search?.validationCount;
    // An ID_ONLY search holds out in-distribution images only.
    const heldOut = settings.search?.mode === SearchMode.ID_ONLY ? sets.slice(0, 1) : sets;
    for (const d of sets) {
      if (d.itemCount === 0) throw badInput(`dataset ${d.name} has no items`);
      if (val !== undefined && heldOut.includes(d) && d.itemCount <= val)
        throw badInput(`dataset ${d.name} has ${d.itemCount} items, but the search holds out ${val} for tuning; use a smaller validationCount`);
    }
    const backend: Backend = input.backend ?? this.s.config.backend;
    const row = await this.s.db.run.create({
      data: {
        modelId: model.id,
        inDatasetId: input.inDatasetId,
        settings: settings as object,
        backend,
        batchSize,
        outDatasets: { create: input.outDatasetIds.map((datasetId, position) => ({ datasetId, position })) },
      },
    });
    await this.s.queue.enqueue(row.id);
    return toRun(row);
  }

  async get(id: string): Promise<RunRow> {
    const row = await this.s.loaders.run.load(id);
    if (!row) throw notFound('run', id);
    return row;
  }

  async list(args: PageArgs & { modelId?: string | null; datasetId?: string | null; status?: RunStatus | null; orderBy?: RunOrder | null }) {
    const q = pageQuery(args, args.orderBy === RunOrder.CREATED_AT_ASC);
    // An id that is no uuid names no run (and Postgres would refuse to compare it with a uuid column).
    if ((args.modelId && !isUuid(args.modelId)) || (args.datasetId && !isUuid(args.datasetId))) return toConnection<Run>([], q.size, 0);
    const values: unknown[] = [];
    const param = (v: unknown) => `$${values.push(v)}`;
    const whereOf = (conditions: string[]) => (conditions.length ? `WHERE ${conditions.join(' AND ')}` : '');
    const where: string[] = [];
    if (args.modelId) where.push(`run.model_id = ${param(args.modelId)}::uuid`);
    if (args.status) where.push(`run.status = ${param(args.status)}::"RunStatus"`);
    if (args.datasetId) {
      const id = param(args.datasetId);
      where.push(`(run.in_dataset_id = ${id}::uuid OR EXISTS (SELECT 1 FROM run_out_dataset o WHERE o.run_id = run.id AND o.dataset_id = ${id}::uuid))`);
    }
    const filter = whereOf(where);
    const filterValues = [...values];
    if (q.cursor) where.push(`(run.created_at, run.id) ${q.ascending ? '>' : '<'} (${param(q.cursor.createdAt)}, ${param(q.cursor.id)}::uuid)`);
    const dir = q.ascending ? 'ASC' : 'DESC';
    const page = `SELECT ${RUN_COLUMNS} FROM run ${whereOf(where)} ORDER BY run.created_at ${dir}, run.id ${dir} LIMIT ${param(q.take)}`;
    const rows = await sql(this.s.db)<RunRow>(page, values);
    // Counting thousands of runs is the costliest part of a page: it runs only if the query selects totalCount.
    const totalCount = lazy(async () => (await sql(this.s.db)<{ n: number }>(`SELECT count(*)::int AS n FROM run ${filter}`, filterValues))[0]!.n);
    return toConnection(rows.map(toRun), q.size, totalCount);
  }

  async compare(ids: string[]): Promise<Run[]> {
    if (ids.length > 20) throw badInput('compareRuns takes at most 20 ids');
    return Promise.all(ids.map(async (id) => toRun(await this.get(id))));
  }

  async cancel(id: string): Promise<Run> {
    await this.get(id);
    const { count } = await this.s.db.run.updateMany({ where: { id, status: { in: ACTIVE } }, data: { status: 'CANCELLED', finishedAt: new Date(), etaSeconds: null } });
    // Subscribers hear of it at once; workers see it at their next batch write (worker/shards.ts).
    if (count) await this.s.db.$executeRaw`SELECT pg_notify(${RUN_UPDATED_CHANNEL}, ${id})`;
    const row = await this.s.db.run.findUniqueOrThrow({ where: { id } });
    if (count === 0) throw badInput(`run ${id} has already finished (${row.status}); nothing to cancel`);
    return toRun(row);
  }

  async rerun(id: string): Promise<Run> {
    const run = toRun(await this.get(id));
    const outs = await this.s.loaders.runOutDatasetIds.load(id);
    const { settings } = run;
    return this.start({
      modelId: run.modelId,
      inDatasetId: run.inDatasetId,
      outDatasetIds: outs,
      temperature: settings.temperature,
      epsilon: settings.epsilon,
      search: settings.search,
      backend: run.backend,
      batchSize: run.batchSize,
    });
  }

  async delete(id: string): Promise<boolean> {
    const run = await this.get(id);
    if (ACTIVE.includes(run.status)) throw badInput(`run ${id} is ${run.status}; cancel it before deleting it`);
    await this.s.db.run.delete({ where: { id } });
    return true;
  }

  /** The test-split scores behind one result: in-distribution at the result's setting, and the OOD set. */
  private async resultScores(runId: string, outDatasetId: string) {
    const run = await this.get(runId);
    const result = (await this.s.loaders.runResults.load(runId)).find((r) => r.outDatasetId === outDatasetId);
    if (!result) throw badInput(`run ${runId} has no result for dataset ${outDatasetId} (yet)`);
    const batches = await this.s.db.scoreBatch.findMany({
      where: { runId, phase: 'test', OR: [{ datasetId: outDatasetId }, { datasetId: run.inDatasetId, temperature: result.temperature, epsilons: { equals: [result.epsilon] } }] },
      orderBy: [{ datasetId: 'asc' }, { start: 'asc' }],
    });
    const decoded = batches.map(decodeBatch);
    return { run, inBatches: decoded.filter((b) => b.dataset === run.inDatasetId), outBatches: decoded.filter((b) => b.dataset === outDatasetId) };
  }

  async hardest(runId: string, outDatasetId: string, first: number): Promise<HardestSamples> {
    if (!Number.isInteger(first) || first < 0 || first > 500) throw badInput('first must be an integer in [0, 500]');
    const { run, inBatches, outBatches } = await this.resultScores(runId, outDatasetId);
    const model = await this.s.models.get(run.modelId);
    const flat = (batches: typeof inBatches, datasetId: string) =>
      batches.flatMap((b) => b.indices.map((index, i) => ({ datasetId, index, odin: b.odin[i][0], msp: b.msp[i], prediction: b.prediction[i] })));
    const ranked = (rows: ReturnType<typeof flat>, dir: 1 | -1): ScoredSample[] =>
      rows
        .sort((a, b) => dir * (a.odin - b.odin) || a.index - b.index)
        .slice(0, first)
        .map((r, i) => ({ ...r, rank: i + 1, predictedLabel: model.labels[r.prediction] ?? null }));
    return { ood: ranked(flat(outBatches, outDatasetId), -1), inDistribution: ranked(flat(inBatches, run.inDatasetId), 1) };
  }

  /** CSV rows `dataset_id,index,prediction,msp,odin`: the in-distribution set once, then each OOD set, in dataset order. */
  async *scoresCsv(runId: string): AsyncGenerator<string> {
    const run = await this.get(runId);
    if (run.status !== 'SUCCEEDED') throw badInput(`run ${runId} is ${run.status}; its scores are complete once it has SUCCEEDED`);
    const results = await this.s.loaders.runResults.load(runId);
    yield 'dataset_id,index,prediction,msp,odin\n';
    const first = results[0];
    const sets = [
      { datasetId: run.inDatasetId, extra: { temperature: first.temperature, epsilons: { equals: [first.epsilon] } } },
      ...results.map((r) => ({ datasetId: r.outDatasetId, extra: {} })),
    ];
    const PAGE = 100;
    for (const { datasetId, extra } of sets) {
      for (let skip = 0; ; skip += PAGE) {
        const rows = await this.s.db.scoreBatch.findMany({ where: { runId, phase: 'test', datasetId, ...extra }, orderBy: { start: 'asc' }, skip, take: PAGE });
        for (const b of rows.map(decodeBatch))
          yield b.indices.map((index, i) => `${datasetId},${index},${b.prediction[i]},${b.msp[i]},${b.odin[i][0]}\n`).join('');
        if (rows.length < PAGE) break;
      }
    }
  }
}
