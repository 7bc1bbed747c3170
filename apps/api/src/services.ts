// The service layer shared by GraphQL resolvers, HTTP routes and the worker: one instance per request or job.
import type pg from 'pg';
import type { BlobStore } from './blobs/store.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { createLoaders, type Loaders } from './graphql/loaders.ts';
import { DatasetService } from './resources/dataset/dataset.service.ts';
import { ModelService } from './resources/model/model.service.ts';
import { RunService } from './resources/run/run.service.ts';
import { TokenService } from './resources/token/token.service.ts';
import { UploadService } from './resources/upload/upload.service.ts';

export interface RunQueue {
  /** Queues the run's next step; with `client`, inside that client's open transaction. */
  enqueue(runId: string, client?: Pick<pg.ClientBase, 'query'>): Promise<void>;
}

export interface Base {
  db: Db;
  blobs: BlobStore;
  config: Config;
  queue: RunQueue;
}

export interface Services extends Base {
  loaders: Loaders;
  uploads: UploadService;
  models: ModelService;
  datasets: DatasetService;
  runs: RunService;
  tokens: TokenService;
}

export function createServices(base: Base): Services {
  const s = { ...base, loaders: createLoaders(base.db) } as Services;
  s.uploads = new UploadService(s);
  s.models = new ModelService(s);
  s.datasets = new DatasetService(s);
  s.runs = new RunService(s);
  s.tokens = new TokenService(s);
  return s;
}
