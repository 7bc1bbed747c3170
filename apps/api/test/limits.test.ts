// Limits on abusive GraphQL requests and cross-site requests, over real HTTP against the app (auth off): depth, cost,
// batches, body size, tokens, `first`, simple cross-site requests and CORS. The dashboard's own operations all pass.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  parse,
  print,
  typeFromAST,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../src/config.ts';
import { createDb, type Db } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { depthRefusal, queryCost } from '../src/graphql/limits.ts';
import { createSchema } from '../src/graphql/schema.ts';
import { repoRoot } from '../src/paths.ts';
import { serveApp, type ServedApp } from './support/app.ts';
import { tempDir } from './support/data.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';

const ISSUE_QUERY = '{ runs(first: 50) { edges { node { id status progress model { name } inDataset { name } results { outDataset { name } baseline { auroc fprAt95Tpr } odin { auroc fprAt95Tpr } } } } } }';
const ALLOWED = 'http://allowed.example';

/** The dashboard's GraphQL documents, as written in apps/web/lib/queries/*.ts: each operation with the fragments it spreads. */
async function dashboardOperations(): Promise<{ name: string; document: DocumentNode; operation: OperationDefinitionNode }[]> {
  const dir = join(repoRoot, 'apps/web/lib/queries');
  const sources = await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.ts')).map((f) => readFile(join(dir, f), 'utf8')));
  const definitions = sources.flatMap((s) => [...s.matchAll(/graphql\(`([\s\S]*?)`\)/g)].flatMap((m) => parse(m[1]!).definitions));
  const fragments = new Map(definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const needed = (node: OperationDefinitionNode | FragmentDefinitionNode, out = new Set<FragmentDefinitionNode>()) => {
    visit(node, {
      FragmentSpread: (s) => {
        const f = fragments.get(s.name.value)!;
        if (!out.has(f)) needed(f, out.add(f));
      },
    });
    return out;
  };
  return definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((operation) => ({ name: operation.name!.value, operation, document: { kind: Kind.DOCUMENT, definitions: [operation, ...needed(operation)] } }));
}

/** Variables the dashboard could send at most: pages of 100 (its largest), 10 ids to compare, every required input field. */
function worstVariables(schema: GraphQLSchema, operation: OperationDefinitionNode): Record<string, unknown> {
  const sample = (type: GraphQLInputType, name: string): unknown => {
    if (isNonNullType(type)) return sample(type.ofType, name);
    if (isListType(type)) return Array.from({ length: 10 }, () => sample(type.ofType, name));
    if (isEnumType(type)) return type.getValues()[0]!.value;
    if (isInputObjectType(type))
      return Object.fromEntries(Object.values(type.getFields()).filter((f) => isNonNullType(f.type)).map((f) => [f.name, sample(f.type, f.name)]));
    return { ID: randomUUID(), String: 'x', Int: name === 'first' ? 100 : 1, Float: 0.5, Boolean: true, DateTime: new Date().toISOString() }[getNamedType(type).name];
  };
  return Object.fromEntries(operation.variableDefinitions!.map((v) => [v.variable.name.value, sample(typeFromAST(schema, v.type as never) as GraphQLInputType, v.variable.name.value)]));
}

describe('GraphQL limits and cross-site requests', () => {
  let db: TestDatabase;
  let prisma: Db;
  let app: ServedApp;
  let url: string;
  let dir: string;
  let config: Config;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    await migrate(db.url);
    prisma = createDb(db.url);
    config = loadConfig({ ODIN_DATA_DIR: dir, ODIN_CORS_ORIGINS: ALLOWED });
    schema = await createSchema();
    app = await serveApp({ db: prisma, dir, config, schema });
    url = app.url;
  });

  afterAll(async () => {
    await app?.close();
    await prisma?.$disconnect();
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    expect(res.status, text).toBeLessThan(500);
    return { status: res.status, headers: res.headers, body: JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } & unknown[] };
  };
  const codeOf = (r: { body: { errors?: { extensions?: { code?: string } }[] } }) => r.body.errors?.[0]?.extensions?.code;

  it('uses the documented defaults', () => {
    expect(config.graphql).toEqual({ bodyLimitBytes: 1024 ** 2, maxDepth: 15, maxCost: 20_000, maxBatch: 10 });
    expect(config.auth).toBe(false);
    expect(config.corsOrigins).toEqual([ALLOWED]);
    expect(() => loadConfig({ ODIN_CORS_ORIGINS: 'evil.example' })).toThrow(/ODIN_CORS_ORIGINS/);
  });

  it('lets every one of the dashboard’s operations through, at its largest variables', async () => {
    const ops = await dashboardOperations();
    expect(ops.map((o) => o.name)).toEqual(expect.arrayContaining(['Runs', 'Run', 'Models', 'Datasets', 'StartRun']));
    let deepest = 0;
    for (const { name, document, operation } of ops) {
      expect(depthRefusal(schema, document, config.graphql.maxDepth), name).toBeUndefined();
      let depth = 1;
      while (depthRefusal(schema, document, depth)) depth++;
      deepest = Math.max(deepest, depth);
      expect(queryCost(schema, document, name, worstVariables(schema, operation)), name).toBeLessThanOrEqual(config.graphql.maxCost);
    }
    // The measure is real: the dashboard nests this deep, and one level less would refuse it.
    expect(deepest).toBeGreaterThanOrEqual(6);
    expect(deepest).toBeLessThanOrEqual(config.graphql.maxDepth);
    // And over HTTP, queries pass the limits (they answer data or NOT_FOUND, never a limit's code).
    for (const { name, document, operation } of ops.filter((o) => o.operation.operation === 'query')) {
      const r = await post({ query: print(document), variables: worstVariables(schema, operation), operationName: name });
      expect(['QUERY_TOO_DEEP', 'QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED']).not.toContain(codeOf(r));
    }
  });

  it('allows introspection with auth off (the full standard query); nested introspection meets graphql-js’s own limit', async () => {
    const full = await post({ query: getIntrospectionQuery() });
    expect(full.body.errors).toBeUndefined();
    expect((full.body.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(20);
    const nested = (n: number): string => (n === 0 ? 'name' : `fields { type { ${nested(n - 1)} } }`);
    const deep = await post({ query: `{ __schema { types { ${nested(4)} } } }` });
    expect([deep.status, codeOf(deep)]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
    expect(deep.body.errors![0]!.message).toBe('Maximum introspection depth exceeded');
  });

  it('refuses operations deeper than ODIN_GRAPHQL_MAX_DEPTH with QUERY_TOO_DEEP', async () => {
    const shallow = loadConfig({ ODIN_DATA_DIR: dir, ODIN_GRAPHQL_MAX_DEPTH: '4' });
    const shallowApp = await serveApp({ db: prisma, dir, config: shallow, schema });
    try {
      const at = `${shallowApp.url}/graphql`;
      const ask = async (query: string) => (await fetch(at, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json() as Promise<{ data?: unknown; errors?: { message: string; extensions: { code: string } }[] }>;
      // runs → edges → node → model → name: 5 levels.
      const deep = await ask('{ runs { edges { node { model { name } } } } }');
      expect(deep.errors?.[0]).toMatchObject({ message: 'Query depth limit of 4 exceeded, found 5.', extensions: { code: 'QUERY_TOO_DEEP' } });
      expect(deep.data).toBeUndefined();
      // Fragments do not hide depth.
      const hidden = await ask('{ runs { ...R } } fragment R on RunConnection { edges { node { ...N } } } fragment N on Run { model { name } }');
      expect(hidden.errors?.[0]?.extensions.code).toBe('QUERY_TOO_DEEP');
      expect(await ask('{ runs { edges { node { id } } } }')).toEqual({ data: { runs: { edges: [] } } });
    } finally {
      await shallowApp.close();
    }
  });

  it('refuses wide and multiplying queries with QUERY_TOO_COMPLEX, and passes the issue’s runs(first: 50) query', async () => {
    expect(queryCost(schema, parse(ISSUE_QUERY))).toBe(4501);
    const ok = await post({ query: ISSUE_QUERY });
    expect(ok.body).toEqual({ data: { runs: { edges: [] } } });
    const node = 'edges { node { id status model { name } inDataset { name } outDatasets { name } results { outDataset { name } odin { auroc } baseline { auroc } } } }';
    const wide = await post({ query: `{ ${Array.from({ length: 6 }, (_, i) => `r${i}: runs(first: 100) { ${node} }`).join(' ')} }` });
    expect([wide.status, codeOf(wide)]).toEqual([400, 'QUERY_TOO_COMPLEX']);
    expect(wide.body.errors![0]!.message).toMatch(/estimated cost is \d+, above the limit of 20000/);
    // A page of runs each asking for 500 hardest samples: 100 × 500 × 2 lists.
    const multiplied = await post({ query: `{ runs(first: 100) { edges { node { hardestSamples(outDatasetId: "${randomUUID()}", first: 500) { ood { index } inDistribution { index } } } } } }` });
    expect(codeOf(multiplied)).toBe('QUERY_TOO_COMPLEX');
    // The same through variables.
    const viaVars = await post({ query: `query($n: Int) { runs(first: $n) { ${node} } a: runs(first: $n) { ${node} } b: runs(first: $n) { ${node} } }`, variables: { n: 100 } });
    expect(codeOf(viaVars)).toBe('QUERY_TOO_COMPLEX');
    expect(codeOf(await post({ query: `query($n: Int) { runs(first: $n) { ${node} } }`, variables: { n: 10 } }))).toBeUndefined();
  });

  it('caps first per connection with BAD_USER_INPUT', async () => {
    for (const field of ['runs', 'models', 'datasets']) {
      const r = await post({ query: `{ ${field}(first: 101) { totalCount } }` });
      expect(codeOf(r), field).toBe('BAD_USER_INPUT');
      expect(r.body.errors![0]!.message).toMatch(/first must be an integer in \[0, 100\]/);
    }
  });

  it('refuses more operations per batch than ODIN_GRAPHQL_MAX_BATCH with BATCH_TOO_LARGE, and answers smaller batches', async () => {
    const three = await post(Array.from({ length: 3 }, () => ({ query: '{ runs { totalCount } }' })));
    expect(three.body).toEqual(Array.from({ length: 3 }, () => ({ data: { runs: { totalCount: 0 } } })));
    const flood = await post(Array.from({ length: 11 }, () => ({ query: '{ runs { totalCount } }' })));
    expect([flood.status, codeOf(flood)]).toEqual([400, 'BATCH_TOO_LARGE']);
    expect(flood.body.errors![0]!.message).toBe('a batch may hold at most 10 operations; this one has 11');
  });

  it('refuses oversized bodies (BODY_TOO_LARGE, 413), malformed JSON (BAD_REQUEST) and token floods (GRAPHQL_PARSE_FAILED)', async () => {
    const big = await post({ query: `{ runs { totalCount } } # ${'x'.repeat(1024 ** 2)}` });
    expect([big.status, codeOf(big)]).toEqual([413, 'BODY_TOO_LARGE']);
    const broken = await post('{"query": ');
    expect([broken.status, codeOf(broken)]).toEqual([400, 'BAD_REQUEST']);
    const tokens = await post({ query: `{ ${Array.from({ length: 12_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` });
    expect([tokens.status, codeOf(tokens)]).toEqual([400, 'GRAPHQL_PARSE_FAILED']);
  });

  it('refuses simple cross-site requests: a form-like GraphQL POST or GET, and uploads that are not application/octet-stream', async () => {
    const form = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { deleteRun(id: "x") }' }) });
    expect(form.status).toBe(400);
    expect(((await form.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
    const get = await fetch(`${url}/graphql?query=${encodeURIComponent('{ runs { totalCount } }')}`);
    expect(get.status).toBe(400);
    const preflighted = await fetch(`${url}/graphql?query=${encodeURIComponent('{ runs { totalCount } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(await preflighted.json()).toEqual({ data: { runs: { totalCount: 0 } } });
    for (const type of ['text/plain', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded']) {
      const res = await fetch(`${url}/v1/uploads`, { method: 'POST', headers: { 'content-type': type }, body: 'a=1' });
      expect(res.status, type).toBe(415);
    }
    expect(await prisma.upload.count()).toBe(0);
  });

  it('sends CORS headers to ODIN_CORS_ORIGINS only', async () => {
    const preflight = (origin: string, path: string) =>
      fetch(`${url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    for (const path of ['/graphql', '/v1/uploads']) {
      const evil = await preflight('http://evil.example', path);
      expect(evil.headers.get('access-control-allow-origin'), path).toBeNull();
      const allowed = await preflight(ALLOWED, path);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
      expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    }
    const evilPost = await post({ query: '{ runs { totalCount } }' }, { origin: 'http://evil.example' });
    expect(evilPost.headers.get('access-control-allow-origin')).toBeNull();
  });
});
