// The response cache (graphql/response-cache.ts): identical queries answered by one execution until a write, over real
// HTTP and Postgres. In process with a statement counter; then the API as a child process with auth on, where a
// worker's notification from another connection makes the next answer fresh and scopes are checked before the cache.
import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../src/config.ts';
import { createDb, type Db } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { RUN_UPDATED_CHANNEL } from '../src/graphql/pubsub.ts';
import { TokenService } from '../src/resources/token/token.service.ts';
import { gql, spawnApi, type ApiProcess } from './support/api-process.ts';
import { serveApp, type ServedApp } from './support/app.ts';
import { tempDir } from './support/data.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';

const DATASETS = '{ datasets(first: 100) { totalCount edges { node { id name } } } }';
const synthetic = (name: string) => `mutation { createSyntheticDataset(input: { name: "${name}", kind: UNIFORM, count: 4 }) { id } }`;

describe('response cache, in process', () => {
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
    // A minute: only a write can explain a fresh answer here.
    const config = loadConfig({ ODIN_DATA_DIR: dir, ODIN_RESPONSE_CACHE_MS: '60000' });
    app = await serveApp({ db: prisma, dir, config });
    url = app.url;
    expect((await gql(url, synthetic('first'))).errors).toBeUndefined();
  });

  afterAll(async () => {
    await app?.close();
    await prisma?.$disconnect();
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const counted = async (query: string, variables: Record<string, unknown> = {}) => {
    statements = 0;
    const r = await gql(url, query, variables);
    expect(r.errors).toBeUndefined();
    return { data: r.data, statements };
  };

  it('answers an identical query (same text and variables) without running it again; other variables run', async () => {
    const first = await counted(DATASETS);
    expect(first.statements).toBeGreaterThan(0);
    expect(await counted(DATASETS)).toEqual({ data: first.data, statements: 0 });
    const q = 'query($first: Int) { datasets(first: $first) { totalCount } }';
    expect((await counted(q, { first: 1 })).statements).toBeGreaterThan(0);
    expect((await counted(q, { first: 2 })).statements).toBeGreaterThan(0);
    expect((await counted(q, { first: 2 })).statements).toBe(0);
  });

  it('runs concurrent identical queries once: the others wait for its answer', async () => {
    const q = '{ datasets(first: 7) { totalCount edges { node { id name kind itemCount } } } }';
    statements = 0;
    await gql(url, q);
    const once = statements;
    app.invalidateResponses();
    statements = 0;
    const answers = await Promise.all(Array.from({ length: 12 }, () => gql(url, q)));
    expect(statements).toBe(once);
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });

  it('drops every answer at a mutation, so the writer and everyone else read the write at once', async () => {
    const before = (await counted(DATASETS)).data as { datasets: { totalCount: number } };
    expect((await gql(url, synthetic('second'))).errors).toBeUndefined();
    const after = (await counted(DATASETS)).data as { datasets: { totalCount: number } };
    expect(after.datasets.totalCount).toBe(before.datasets.totalCount + 1);
  });

  it('serves a write made elsewhere without a notification only once the cache is invalidated (or the answer expires)', async () => {
    const before = (await counted(DATASETS)).data as { datasets: { edges: { node: { id: string; name: string } }[] } };
    const id = before.datasets.edges[0]!.node.id;
    await prisma.$executeRaw`UPDATE dataset SET name = 'renamed' WHERE id = ${id}::uuid`;
    expect((await counted(DATASETS)).data).toEqual(before);
    app.invalidateResponses();
    const after = (await counted(DATASETS)).data as typeof before;
    expect(after.datasets.edges.find((e) => e.node.id === id)!.node.name).toBe('renamed');
  });

  it('does not keep answers with errors', async () => {
    for (let i = 0; i < 2; i++) {
      statements = 0;
      const r = await gql(url, '{ datasets(first: 3) { totalCount } runs(after: "garbage") { totalCount } }');
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      // The error nulls the whole answer, which goes out before the datasets query has finished (and been counted).
      await expect.poll(() => statements).toBeGreaterThan(0);
    }
  });
});

describe('response cache in the API process, auth on', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let dir: string;
  let sql: pg.Client;
  const tokens: Record<'read' | 'worker', string> = { read: '', worker: '' };

  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    await migrate(db.url);
    const prisma = createDb(db.url);
    const service = new TokenService({ db: prisma });
    tokens.read = (await service.create({ name: 'reader', scopes: ['read', 'write'] })).token;
    tokens.worker = (await service.create({ name: 'worker', scopes: ['worker'] })).token;
    await prisma.$disconnect();
    api = await spawnApi({ DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'data'), ODIN_AUTH: 'on', ODIN_WORKER: 'off', ODIN_RESPONSE_CACHE_MS: '60000' });
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await sql?.end();
    await db?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ask = async (token: string, query: string) => {
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    return (await res.json()) as { data?: { datasets: { edges: { node: { name: string } }[] } }; errors?: { extensions: { code: string } }[] };
  };

  it('refuses a token without the read scope even when the answer is cached', async () => {
    const made = await ask(tokens.read, synthetic('cached'));
    expect(made.errors).toBeUndefined();
    expect((await ask(tokens.read, DATASETS)).data!.datasets.edges[0]!.node.name).toBe('cached');
    expect((await ask(tokens.worker, DATASETS)).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('answers fresh once a worker notifies run_updated from its own connection', async () => {
    expect((await ask(tokens.read, DATASETS)).data!.datasets.edges[0]!.node.name).toBe('cached');
    await sql.query("UPDATE dataset SET name = 'changed'");
    expect((await ask(tokens.read, DATASETS)).data!.datasets.edges[0]!.node.name).toBe('cached');
    await sql.query('SELECT pg_notify($1, $2)', [RUN_UPDATED_CHANNEL, '00000000-0000-0000-0000-000000000000']);
    const until = Date.now() + 5000;
    while ((await ask(tokens.read, DATASETS)).data!.datasets.edges[0]!.node.name !== 'changed') {
      expect(Date.now()).toBeLessThan(until);
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('answers fresh after a mutation sent over graphql-ws', async () => {
    const before = (await ask(tokens.read, DATASETS)).data!.datasets.edges.length;
    const client = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${tokens.read}` } });
    try {
      const made = await new Promise<unknown>((resolve, reject) =>
        client.subscribe({ query: synthetic('over ws') }, { next: resolve, error: reject, complete: () => {} }),
      );
      expect(made).toMatchObject({ data: { createSyntheticDataset: { id: expect.any(String) } } });
    } finally {
      await client.dispose();
    }
    // graphql-ws reports the completed mutation to the server after its result: wait for that, not for the cache's minute.
    await expect.poll(async () => (await ask(tokens.read, DATASETS)).data!.datasets.edges.length, { timeout: 2000 }).toBe(before + 1);
  });
});
