// The GraphQL layer in process: the committed schema, keyset pagination, NOT_FOUND, and a bounded number of SQL statements per nested query.
import 'reflect-metadata';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../src/blobs/store.ts';
import { loadConfig } from '../src/config.ts';
import { createDb, sql, type Db } from '../src/db/client.ts';
import { API_TOKEN_COLUMNS } from '../src/db/rows.ts';
import { migrate } from '../src/db/migrate.ts';
import { printedSchema } from '../src/graphql/schema.ts';
import { createServices } from '../src/services.ts';
import { gql, type GraphQLResponse } from './support/api-process.ts';
import { serveApp, type ServedApp } from './support/app.ts';
import { tempDir } from './support/data.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';

const NESTED = `query($first: Int, $after: String) { runs(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id status model { id name } inDataset { id } outDatasets { id name } results { outDataset { id } odin { auroc } } } } } }`;

describe('GraphQL', () => {
  let db: TestDatabase;
  let prisma: Db;
  let app: ServedApp;
  let url: string;
  let dir: string;
  let statements = 0;

  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    await migrate(db.url);
    prisma = createDb(db.url, () => statements++);
    // No response cache: these tests count the statements each execution costs.
    const config = loadConfig({ ODIN_DATA_DIR: dir, ODIN_RESPONSE_CACHE_MS: '0' });
    const queued: string[] = [];
    app = await serveApp({ db: prisma, dir, config, enqueue: async (id) => void queued.push(id) });
    url = app.url;
    // 30 runs, each with its own model, in-distribution set and two OOD sets with results.
    for (let i = 0; i < 30; i++) {
      const model = await prisma.model.create({
        data: { name: `m${i}`, sha256: 'a'.repeat(64), size: 1n, inputName: 'x', inputShape: [-1, 1, 28, 28], layout: 'NCHW', outputName: 'y', numClasses: 10, labels: [], mean: [0], std: [1], inputSize: [28, 28], opset: 17, opHistogram: {}, parameterCount: 1n, odinCompiles: true },
      });
      const set = (name: string) => prisma.dataset.create({ data: { name, kind: 'SYNTHETIC', format: 'UNIFORM', itemCount: 10, itemShape: [28, 28, 1], sourceSpec: 'uniform:10:1', rejected: [] } });
      const [a, b, c] = await Promise.all([set(`in${i}`), set(`out${i}a`), set(`out${i}b`)]);
      const metrics = { fprAt95Tpr: 0.5, detectionError: 0.2, auroc: 0.9, auprIn: 0.9, auprOut: 0.9 };
      await prisma.run.create({
        data: {
          modelId: model.id,
          inDatasetId: a.id,
          settings: { temperature: 1000, epsilon: 0.0014 },
          backend: 'CPU',
          batchSize: 64,
          status: 'SUCCEEDED',
          createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 10)),
          outDatasets: { create: [b, c].map((d, position) => ({ datasetId: d.id, position })) },
          results: { create: [b, c].map((d, position) => ({ outDatasetId: d.id, position, nIn: 10, nOut: 10, temperature: 1000, epsilon: 0.0014, threshold: 0.5, baselineThreshold: 0.5, baseline: metrics, odin: metrics, curves: {}, histograms: {} })) },
        },
      });
    }
  });

  afterAll(async () => {
    await app?.close();
    await prisma?.$disconnect();
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('matches the committed apps/api/schema.graphql (run `npm run schema -w apps/api` after changing it)', async () => {
    expect(await printedSchema()).toBe(await readFile(new URL('../schema.graphql', import.meta.url), 'utf8'));
  });

  it('reads a run list\'s models and datasets once per process: a second page costs fewer statements', async () => {
    // First of the nested queries: the process has read no model or dataset yet.
    const count = async () => {
      statements = 0;
      const r = await gql(url, NESTED, { first: 30 });
      expect(r.errors).toBeUndefined();
      return { statements, data: r.data };
    };
    const first = await count();
    const second = await count();
    expect(second.data).toEqual(first.data);
    expect(second.statements).toBeLessThan(first.statements);
  });

  it('runs a nested query in the same number of SQL statements whatever the page size', async () => {
    const count = async (first: number) => {
      statements = 0;
      const r = await gql<{ runs: { edges: { node: { results: unknown[]; outDatasets: unknown[] } }[] } }>(url, NESTED, { first });
      expect(r.errors).toBeUndefined();
      expect(r.data!.runs.edges).toHaveLength(first);
      expect(r.data!.runs.edges.every((e) => e.node.results.length === 2 && e.node.outDatasets.length === 2)).toBe(true);
      return statements;
    };
    const small = await count(2);
    const large = await count(25);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(8);
  });

  it('pages through every run once, newest first, with ties on createdAt broken by id', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const r: GraphQLResponse<{ runs: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] } }> = await gql(url, NESTED, { first: 7, after });
      expect(r.data!.runs.totalCount).toBe(30);
      seen.push(...r.data!.runs.edges.map((e) => e.node.id));
      if (!r.data!.runs.pageInfo.hasNextPage) break;
      after = r.data!.runs.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    const prismaOrder = await prisma.run.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } });
    expect(seen).toEqual(prismaOrder.map((r) => r.id));
  });

  it('filters runs by model, status and dataset (in-distribution or OOD) as Prisma does, in either order', async () => {
    const pageIds = async (args: string) => {
      const r = await gql<{ runs: { totalCount: number; edges: { node: { id: string } }[] } }>(url, `{ runs(first: 100, ${args}) { totalCount edges { node { id } } } }`);
      expect(r.errors).toBeUndefined();
      // totalCount counts every run the filter matches, whatever the cursor.
      if (!args.includes('after')) expect(r.data!.runs.totalCount).toBe(r.data!.runs.edges.length);
      return r.data!.runs.edges.map((e) => e.node.id);
    };
    const expected = async (where: object, dir: 'asc' | 'desc' = 'desc') =>
      (await prisma.run.findMany({ where, orderBy: [{ createdAt: dir }, { id: dir }], select: { id: true } })).map((r) => r.id);
    const run = (await prisma.run.findFirstOrThrow({ include: { outDatasets: true } }));
    const out = run.outDatasets[1]!.datasetId;
    expect(await pageIds(`modelId: "${run.modelId}"`)).toEqual(await expected({ modelId: run.modelId }));
    expect(await pageIds(`datasetId: "${run.inDatasetId}"`)).toEqual([run.id]);
    expect(await pageIds(`datasetId: "${out}"`)).toEqual([run.id]);
    expect(await pageIds('status: SUCCEEDED, orderBy: CREATED_AT_ASC')).toEqual(await expected({ status: 'SUCCEEDED' }, 'asc'));
    expect(await pageIds('status: FAILED')).toEqual([]);
    expect(await pageIds('modelId: "not-a-uuid"')).toEqual([]);
    const older = await gql<{ runs: { pageInfo: { endCursor: string } } }>(url, '{ runs(first: 3, orderBy: CREATED_AT_ASC) { pageInfo { endCursor } } }');
    expect(await pageIds(`orderBy: CREATED_AT_ASC, after: "${older.data!.runs.pageInfo.endCursor}"`)).toEqual((await expected({}, 'asc')).slice(3));
  });

  it('reads runs, results and tokens by plain SQL as the same rows Prisma reads', async () => {
    const services = createServices({ db: prisma, blobs: new BlobStore(join(dir, 'blobs')), config: loadConfig({ ODIN_DATA_DIR: dir }), queue: { enqueue: async () => {} } });
    const runs = await prisma.run.findMany({ take: 3, orderBy: { id: 'asc' } });
    expect(await services.loaders.run.loadMany(runs.map((r) => r.id))).toEqual(runs);
    const results = await prisma.runResult.findMany({ where: { runId: runs[0]!.id }, orderBy: { position: 'asc' }, omit: { curves: true, histograms: true, grid: true } });
    expect(await services.loaders.runResults.load(runs[0]!.id)).toEqual(results);
    const { token, row } = await services.tokens.create({ name: 'rows', scopes: ['read'] });
    expect((await services.tokens.authenticate(`Bearer ${token}`)).tokenId).toBe(row.id);
    const [viaSql] = await sql(prisma)(`SELECT ${API_TOKEN_COLUMNS} FROM api_token WHERE id = $1::uuid`, [row.id]);
    expect(viaSql).toEqual(await prisma.apiToken.findUniqueOrThrow({ where: { id: row.id } }));
  });


  it('answers NOT_FOUND and BAD_USER_INPUT with their codes', async () => {
    const missing = await gql(url, 'mutation { cancelRun(id: "00000000-0000-0000-0000-000000000000") { id } }');
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await gql(url, '{ run(id: "not-a-uuid") { id } }')).data).toEqual({ run: null });
    const bad = await gql(url, '{ runs(first: 1000) { totalCount } }');
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/first must be an integer in \[0, 100\]/) });
    const cursor = await gql(url, '{ runs(after: "garbage") { totalCount } }');
    expect(cursor.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
