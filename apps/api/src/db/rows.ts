// Column lists for plain-SQL reads (db/client.ts sql()): each selects a table's snake_case columns under Prisma's
// camelCase field names, so a row reads as the Prisma type. Record<keyof Row, true> makes a missing or extra field a
// type error when the schema changes.
import type { ApiToken, Run, RunResult } from '../generated/prisma/client.ts';

type Fields<T> = Record<keyof T, true>;

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function columns<T>(fields: Fields<T>, table: string): string {
  return Object.keys(fields)
    .map((f) => `${table}.${snake(f)} AS "${f}"`)
    .join(', ');
}

export const RUN_COLUMNS = columns<Run>(
  {
    id: true,
    modelId: true,
    inDatasetId: true,
    settings: true,
    backend: true,
    batchSize: true,
    status: true,
    progress: true,
    phase: true,
    imagesPerSecond: true,
    etaSeconds: true,
    accuracy: true,
    error: true,
    workerId: true,
    heartbeatAt: true,
    createdAt: true,
    startedAt: true,
    finishedAt: true,
  },
  'run',
);

/** A result without its curves, histograms and grid (hundreds of KB each), as a list of runs asks for it. */
export type RunResultSummary = Omit<RunResult, 'curves' | 'histograms' | 'grid'>;

export const RUN_RESULT_SUMMARY_COLUMNS = columns<RunResultSummary>(
  {
    id: true,
    runId: true,
    outDatasetId: true,
    position: true,
    nIn: true,
    nOut: true,
    temperature: true,
    epsilon: true,
    threshold: true,
    baselineThreshold: true,
    baseline: true,
    odin: true,
  },
  'run_result',
);

export const API_TOKEN_COLUMNS = columns<ApiToken>(
  { id: true, name: true, hash: true, scopes: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
  'api_token',
);
