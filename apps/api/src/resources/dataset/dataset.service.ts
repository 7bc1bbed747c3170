// Datasets: registration of uploads (imported safely into the data folder), synthetic noise sets, opening for the engine, deletion.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SEED, parseInputSpec, type Dataset as EngineDataset } from '@odin/engine';
import { openDataset } from '@odin/engine/node';
import type { Dataset as DatasetRow } from '../../generated/prisma/client.ts';
import { referencedRows } from '../../db/referenced-rows.ts';
import { DatasetImportError, importDataset, openDatasetAt } from '../../datasets/import.ts';
import { badInput, notFound } from '../../graphql/errors.ts';
import { pageQuery, toConnection, type PageArgs } from '../../graphql/connection.ts';
import type { Services } from '../../services.ts';
import type { RegisterDatasetInput, SyntheticDatasetInput } from './dataset.input.ts';
import type { Dataset, DatasetKind } from './dataset.type.ts';

export const toDataset = (row: DatasetRow): Dataset => ({ ...row, rejected: row.rejected as unknown as Dataset['rejected'] });

const MAX_SYNTHETIC = 1_000_000;

export class DatasetService {
  constructor(private readonly s: Services) {}

  folder(id: string): string {
    return join(this.s.config.dataDir, 'datasets', id);
  }

  async register(input: RegisterDatasetInput): Promise<Dataset> {
    const name = input.name.trim();
    if (!name) throw badInput('name must not be empty');
    const upload = await this.s.uploads.get(input.uploadId);
    const id = randomUUID();
    const dir = this.folder(id);
    let imported;
    try {
      imported = await importDataset(this.s.blobs.path(upload.sha256), dir, { filename: upload.filename ?? undefined, limits: { ...this.s.config.archive, maxEntryBytes: 256 * 1024 ** 2 } });
    } catch (e) {
      if (e instanceof DatasetImportError) throw badInput(e.message);
      throw e;
    }
    try {
      const row = await this.s.db.dataset.create({
        data: {
          id,
          name,
          kind: 'UPLOADED',
          format: imported.format,
          itemCount: imported.itemCount,
          itemShape: imported.itemShape,
          sourceSpec: imported.path,
          sha256: upload.sha256,
          labels: imported.labels ?? [],
          rejected: imported.rejected as object[],
        },
      });
      return toDataset(row);
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }

  async createSynthetic(input: SyntheticDatasetInput): Promise<Dataset> {
    if (!Number.isInteger(input.count) || input.count <= 0 || input.count > MAX_SYNTHETIC) throw badInput(`count must be an integer in [1, ${MAX_SYNTHETIC}]`);
    const seed = input.seed ?? DEFAULT_SEED;
    if (!Number.isInteger(seed) || seed < 0) throw badInput('seed must be a non-negative integer');
    const itemShape = input.like ? await this.shapeLike(input.like) : [28, 28, 1];
    const kind = input.kind.toLowerCase();
    const sourceSpec = `${kind}:${input.count}:${seed}`;
    const row = await this.s.db.dataset.create({
      data: { name: input.name?.trim() || sourceSpec, kind: 'SYNTHETIC', format: input.kind, itemCount: input.count, itemShape, sourceSpec, labels: [], rejected: [] },
    });
    return toDataset(row);
  }

  private async shapeLike(id: string): Promise<number[]> {
    const [model, dataset] = await Promise.all([this.s.loaders.model.load(id), this.s.loaders.dataset.load(id)]);
    if (dataset) return dataset.itemShape;
    if (!model) throw notFound('model or dataset', id);
    const dims = model.inputShape.map((d) => (d < 0 ? 'N' : d));
    const spec = parseInputSpec(dims, model.layout);
    return [spec.height, spec.width, spec.channels];
  }

  /** The dataset as the engine streams it; Dataset.name is the row's id, so scores map back to it. */
  async open(row: DatasetRow): Promise<EngineDataset> {
    switch (row.kind) {
      case 'UPLOADED':
        return openDatasetAt(this.folder(row.id), { path: row.sourceSpec }, row.id);
      case 'SYNTHETIC': {
        const [height, width, channels] = row.itemShape;
        const ds = await openDataset(row.sourceSpec, { shape: { height, width, channels: channels as 1 | 3 } });
        return { ...ds, name: row.id, batches: ds.batches.bind(ds) };
      }
      case 'BUILTIN': {
        const ds = await openDataset(row.sourceSpec);
        return { ...ds, name: row.id, batches: ds.batches.bind(ds) };
      }
    }
  }

  async get(id: string): Promise<DatasetRow> {
    const row = await this.s.loaders.dataset.load(id);
    if (!row) throw notFound('dataset', id);
    return row;
  }

  /** A dataset of a run or of one of its results (cached: see db/referenced-rows.ts). */
  ofRun(id: string): Promise<Dataset> {
    return referencedRows(this.s.db).datasets.get(id, async (i) => toDataset(await this.get(i)));
  }

  async list(args: PageArgs & { kind?: DatasetKind | null }) {
    const q = pageQuery(args);
    const where = args.kind ? { kind: args.kind } : {};
    const [rows, total] = await Promise.all([
      this.s.db.dataset.findMany({ where: { AND: [where, q.after] }, orderBy: q.orderBy, take: q.take }),
      this.s.db.dataset.count({ where }),
    ]);
    return toConnection(rows.map(toDataset), q.size, total);
  }

  async delete(id: string): Promise<boolean> {
    await this.get(id);
    const runs = await this.s.db.run.count({ where: { OR: [{ inDatasetId: id }, { outDatasets: { some: { datasetId: id } } }] } });
    if (runs > 0) throw badInput(`dataset ${id} is used by ${runs} run(s); delete those runs first`);
    await this.s.db.dataset.delete({ where: { id } });
    await rm(this.folder(id), { recursive: true, force: true });
    return true;
  }
}
