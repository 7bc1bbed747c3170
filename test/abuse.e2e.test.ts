// API abuse beyond the API's own limit tests (apps/api/test/limits.test.ts, auth.e2e.test.ts): thousands of generated
// GraphQL documents and variables, alias and fragment floods, deep JSON, hostile paths and headers, all against a
// spawned API with auth on. Every answer must be a 4xx (or a 200 with data) with a JSON body naming a code, never a
// 5xx, and the API must still answer afterwards.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApi, type ApiProcess } from '../apps/api/test/support/api-process.ts';
import { tempDir } from '../apps/api/test/support/data.ts';
import { startTestDatabase, type TestDatabase } from '../apps/api/test/support/database.ts';

const FIELDS = ['runs', 'run', 'models', 'model', 'datasets', 'dataset', 'edges', 'node', 'results', 'outDataset', 'odin', 'auroc', 'model', 'inDataset', 'name', 'id', '__typename', '__schema', 'types', 'fields', 'type', 'ofType', 'tokens'];
const ARGS = ['(first: 100)', '(first: -1)', '(first: 1e9)', '(id: "x")', '(id: "00000000-0000-0000-0000-000000000000")', '(after: "Zm9v")', '(first: 50, after: null)', ''];

interface Answer {
  status: number;
  body: { errors?: { message?: string; extensions?: { code?: string } }[]; data?: unknown; error?: string; code?: string } | undefined;
}

describe('API abuse', () => {
  let dir: string;
  let db: TestDatabase;
  let api: ApiProcess;
  let token: string;

  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    const root = fileURLToPath(new URL('..', import.meta.url));
    const made = await promisify(execFile)('npm', ['run', '-s', 'token', '--', 'create', '--name', 'abuse', '--scopes', 'read,write'], { cwd: root, env: { ...process.env, DATABASE_URL: db.url } });
    token = made.stdout.trim();
    api = await spawnApi({ DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'data'), ODIN_AUTH: 'on', ODIN_WORKER: 'off' });
  });

  afterAll(async () => {
    await api?.stop();
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function send(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Answer> {
    const res = await fetch(`${api.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
    const text = await res.text();
    let body: Answer['body'];
    try {
      body = JSON.parse(text) as Answer['body'];
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  }
  const post = (body: string, headers: Record<string, string> = {}) => send('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  /** A refusal with a code, or data; never a 5xx, never an error without a code. */
  function expectHandled(a: Answer, what: string) {
    expect(a.status, what).toBeLessThan(500);
    expect(a.body, `${what}: a JSON body`).toBeDefined();
    if (a.status >= 400 || a.body?.errors) {
      const code = a.body?.errors?.[0]?.extensions?.code ?? a.body?.code;
      expect(code, `${what}: ${JSON.stringify(a.body).slice(0, 300)}`).toMatch(/^[A-Z_]+$/);
      expect(code, what).not.toBe('INTERNAL_SERVER_ERROR');
    }
  }

  const selection = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...FIELDS),
      fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...ARGS), fc.array(tie('node'), { minLength: 1, maxLength: 6 })).map(([f, a, inner]) => `${f}${a} { ${inner.join(' ')} }`),
    ),
  })).node;

  it('answers 2,000 generated queries (nesting, arguments, aliases, garbage) with data or a coded refusal', async () => {
    const documents = fc.oneof(
      selection.map((s) => `{ ${s} }`),
      fc.tuple(fc.integer({ min: 1, max: 12 }), selection).map(([depth, s]) => `{ ${Array.from({ length: depth }).reduce<string>((inner) => `runs { edges { node { model { ${inner} } } } }`, s)} }`),
      fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom(...FIELDS)).map(([n, f]) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${f}`).join(' ')} }`),
      fc.string({ maxLength: 200 }),
      fc.stringMatching(/^[{}()!:$@.a-z\s"]{0,300}$/),
    );
    await fc.assert(
      fc.asyncProperty(documents, fc.option(fc.jsonValue({ maxDepth: 4 }), { nil: undefined }), async (query, variables) => {
        expectHandled(await post(JSON.stringify({ query, variables })), query.slice(0, 120));
      }),
      { numRuns: 2000, seed: 14 },
    );
  });

  it('refuses floods of aliases, fragments, directives and operations, and a fragment cycle', async () => {
    const cases: Record<string, string> = {
      aliases: `{ ${Array.from({ length: 3000 }, (_, i) => `a${i}: runs { totalCount }`).join(' ')} }`,
      fragmentCycle: 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      fragmentFanout: `query { ...F0 } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { runs { edges { node { id } } } ${i < 29 ? `...F${i + 1} ...F${i + 1}` : ''} }`).join(' ')}`,
      directives: `{ __typename ${'@include(if: true) '.repeat(3000)} }`,
      operations: Array.from({ length: 2000 }, (_, i) => `query Q${i} { __typename }`).join(' '),
      longName: `{ ${'x'.repeat(200_000)} }`,
    };
    for (const [name, query] of Object.entries(cases)) {
      const a = await post(JSON.stringify({ query }));
      expectHandled(a, name);
      expect(a.status, name).toBeGreaterThanOrEqual(400);
    }
  });

  it('refuses hostile bodies: deep JSON, wrong types, huge variables, a 1,000-operation batch', async () => {
    const deep = `{"query":"{ __typename }","variables":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const bodies: Record<string, string> = {
      deepJson: deep,
      queryNotString: JSON.stringify({ query: { a: 1 } }),
      variablesNotObject: JSON.stringify({ query: '{ __typename }', variables: [1, 2] }),
      nullBody: 'null',
      number: '42',
      hugeVariable: JSON.stringify({ query: 'query($id: ID!) { run(id: $id) { id } }', variables: { id: 'x'.repeat(900_000) } }),
      batch: JSON.stringify(Array.from({ length: 1000 }, () => ({ query: '{ __typename }' }))),
      emptyBatch: '[]',
      badUtf8: '{"query":"{ \udc00 }"}',
    };
    for (const [name, body] of Object.entries(bodies)) expectHandled(await post(body), name);
  });

  it('answers hostile paths, ids, methods and headers on the file routes with 4xx', async () => {
    const paths = [
      '/v1/datasets/..%2F..%2F..%2Fetc/items/0.png',
      '/v1/datasets/00000000-0000-0000-0000-000000000000/items/0.png',
      '/v1/datasets/not-a-uuid/items/-1.png',
      '/v1/datasets/not-a-uuid/items/99999999999999999999999.png',
      '/v1/blobs/..%2F..%2Fetc%2Fpasswd',
      '/v1/blobs/' + 'a'.repeat(64),
      '/v1/models/%00/odin.onnx',
      '/v1/runs/00000000-0000-0000-0000-000000000000/scores.csv',
      '/v1/runs/\'%20OR%201=1--/scores.csv',
      '/v1/' + 'x/'.repeat(2000),
    ];
    for (const path of paths) {
      const a = await send(path);
      expect(a.status, path).toBeGreaterThanOrEqual(400);
      expect(a.status, path).toBeLessThan(500);
    }
    for (const method of ['PUT', 'DELETE', 'PATCH']) expect((await send('/graphql', { method })).status, method).toBeLessThan(500);
    // Node refuses a header block over 16 KiB itself, before any route: 431 with no body.
    expect((await post('{}', { authorization: `Bearer ${'a'.repeat(60_000)}` })).status).toBe(431);
    const headers: Record<string, Record<string, string>> = {
      longToken: { authorization: `Bearer ${'a'.repeat(12_000)}` },
      basic: { authorization: 'Basic dXNlcjpwYXNz' },
      empty: { authorization: '' },
      twoTokens: { authorization: `Bearer ${token} Bearer ${token}` },
    };
    for (const [name, h] of Object.entries(headers)) {
      const a = await post(JSON.stringify({ query: '{ __typename }' }), h);
      expectHandled(a, name);
      expect(a.status, name).toBe(401);
    }
    // The upload route with a lying checksum, an empty body and a wrong content type.
    const uploads: Record<string, Record<string, string>> = {
      checksum: { 'content-type': 'application/octet-stream', 'x-content-sha256': '0'.repeat(64) },
      badChecksum: { 'content-type': 'application/octet-stream', 'x-content-sha256': 'zz' },
      form: { 'content-type': 'application/x-www-form-urlencoded' },
    };
    for (const [name, init] of Object.entries(uploads)) {
      const a = await send('/v1/uploads', { method: 'POST', headers: init, body: 'some bytes' });
      expect(a.status, name).toBeGreaterThanOrEqual(400);
      expect(a.status, name).toBeLessThan(500);
    }
  });

  it('is still up and logged no internal error', async () => {
    const a = await post(JSON.stringify({ query: '{ runs(first: 1) { totalCount } }' }));
    expect(a).toMatchObject({ status: 200, body: { data: { runs: { totalCount: 0 } } } });
    expect(api.log()).not.toMatch(/internal error|Unhandled|TypeError|RangeError/);
  });
});
