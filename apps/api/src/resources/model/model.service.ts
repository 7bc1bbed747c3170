// Models: inspection of uploads, registration (with the compiled ODIN graph stored beside the file), listing and deletion.
import { readFile } from 'node:fs/promises';
import type { Model as ModelRow } from '../../generated/prisma/client.ts';
import { referencedRows } from '../../db/referenced-rows.ts';
import type { Services } from '../../services.ts';
import { badInput, notFound } from '../../graphql/errors.ts';
import { pageQuery, toConnection, type PageArgs } from '../../graphql/connection.ts';
import { inspectModel, type ModelInspection } from './model.inspect.ts';
import type { RegisterModelInput } from './model.input.ts';
import type { Model, ModelReport } from './model.type.ts';

const histogram = (h: unknown) => Object.entries(h as Record<string, number>).map(([op, count]) => ({ op, count })).sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
const shape = (s: number[]) => s.map((d) => (d < 0 ? null : d));

export function toModel(row: ModelRow): Model {
  return { ...row, size: Number(row.size), parameterCount: Number(row.parameterCount), inputShape: shape(row.inputShape), opHistogram: histogram(row.opHistogram) };
}

function toReport(r: ModelInspection): ModelReport {
  return {
    ...r,
    inputShape: shape(r.inputShape),
    opHistogram: histogram(r.opHistogram),
    metadata: Object.entries(r.metadata).map(([key, value]) => ({ key, value })),
  };
}

function checkChannels(what: string, v: number[] | null | undefined, channels: number | undefined) {
  if (!v) return;
  if (v.length === 0 || !v.every(Number.isFinite)) throw badInput(`${what} must be a non-empty list of numbers`);
  if (what === 'std' && v.some((x) => x <= 0)) throw badInput('std values must be positive');
  if (channels !== undefined && v.length !== 1 && v.length !== channels) throw badInput(`${what} has ${v.length} values; the model takes ${channels} channel(s), so give 1 or ${channels}`);
}

export class ModelService {
  constructor(private readonly s: Services) {}

  private async uploadBytes(uploadId: string): Promise<{ bytes: Uint8Array; sha256: string; size: bigint }> {
    const upload = await this.s.uploads.get(uploadId);
    return { bytes: await readFile(this.s.blobs.path(upload.sha256)), sha256: upload.sha256, size: upload.size };
  }

  async inspectUpload(uploadId: string): Promise<ModelReport> {
    return toReport(inspectModel((await this.uploadBytes(uploadId)).bytes));
  }

  async register(input: RegisterModelInput): Promise<Model> {
    const name = input.name.trim();
    if (!name) throw badInput('name must not be empty');
    const { bytes, sha256, size } = await this.uploadBytes(input.uploadId);
    const first = inspectModel(bytes);
    const channels = first.layout === 'NCHW' ? first.inputShape[1] : first.layout === 'NHWC' ? first.inputShape[3] : 1;
    checkChannels('mean', input.mean, channels);
    checkChannels('std', input.std, channels);
    if (input.labels && input.labels.length !== first.numClasses) throw badInput(`labels has ${input.labels.length} names, but the model has ${first.numClasses} classes`);
    if (input.inputSize && (input.inputSize.length !== 2 || input.inputSize.some((d) => !Number.isInteger(d) || d <= 0)))
      throw badInput('inputSize must be [height, width] with positive integers');
    if (input.inputSize && first.inputSize.length === 2 && input.inputSize.join('x') !== first.inputSize.join('x'))
      throw badInput(`inputSize ${input.inputSize.join('×')} does not match the model's fixed input size ${first.inputSize.join('×')}`);
    const r = input.mean || input.std ? inspectModel(bytes, { mean: input.mean, std: input.std }) : first;
    const odin = r.compiled ? await this.s.blobs.putBytes(r.compiled) : undefined;
    const row = await this.s.db.model.create({
      data: {
        name,
        description: input.description ?? null,
        sha256,
        size,
        inputName: r.inputName,
        inputShape: r.inputShape,
        layout: r.layout,
        outputName: r.outputName,
        numClasses: r.numClasses,
        labels: input.labels ?? (r.labels.length === r.numClasses ? r.labels : []),
        mean: r.mean.length ? r.mean : [0],
        std: r.std.length ? r.std : [1],
        inputSize: input.inputSize ?? r.inputSize,
        opset: r.opset,
        opHistogram: r.opHistogram,
        parameterCount: BigInt(r.parameterCount),
        odinCompiles: r.odinCompiles,
        odinError: r.odinError,
        odinSha256: odin?.sha256 ?? null,
      },
    });
    return toModel(row);
  }

  async get(id: string): Promise<ModelRow> {
    const row = await this.s.loaders.model.load(id);
    if (!row) throw notFound('model', id);
    return row;
  }

  /** The model of a run (cached: see db/referenced-rows.ts). */
  ofRun(id: string): Promise<Model> {
    return referencedRows(this.s.db).models.get(id, async (i) => toModel(await this.get(i)));
  }

  async list(args: PageArgs) {
    const q = pageQuery(args);
    const [rows, total] = await Promise.all([this.s.db.model.findMany({ where: q.after, orderBy: q.orderBy, take: q.take }), this.s.db.model.count()]);
    return toConnection(rows.map(toModel), q.size, total);
  }

  async delete(id: string): Promise<boolean> {
    await this.get(id);
    const runs = await this.s.db.run.count({ where: { modelId: id } });
    if (runs > 0) throw badInput(`model ${id} is used by ${runs} run(s); delete those runs first`);
    await this.s.db.model.delete({ where: { id } });
    return true;
  }
}
