// Models and datasets reached through a run's foreign keys, cached for the process as their GraphQL objects. Their rows
// are never updated, and one a run references cannot be deleted (onDelete: Restrict), so a cached one is never stale.
// A run list's model/inDataset/outDataset fields then cost no query and no conversion once the rows have been seen.
import { LRUCache } from 'lru-cache';
import type { Dataset } from '../resources/dataset/dataset.type.ts';
import type { Model } from '../resources/model/model.type.ts';
import type { Db } from './client.ts';

const MAX_ROWS = 5000;

class RowCache<T extends object> {
  private readonly rows = new LRUCache<string, T>({ max: MAX_ROWS });

  async get(id: string, load: (id: string) => Promise<T>): Promise<T> {
    const hit = this.rows.get(id);
    if (hit) return hit;
    const row = await load(id);
    this.rows.set(id, row);
    return row;
  }
}

export interface ReferencedRows {
  models: RowCache<Model>;
  datasets: RowCache<Dataset>;
}

const perDatabase = new WeakMap<Db, ReferencedRows>();

/** The process's cache for one database client. */
export function referencedRows(db: Db): ReferencedRows {
  let rows = perDatabase.get(db);
  if (!rows) perDatabase.set(db, (rows = { models: new RowCache(), datasets: new RowCache() }));
  return rows;
}
