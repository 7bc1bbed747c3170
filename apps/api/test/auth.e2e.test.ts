// ODIN_AUTH=on end to end: tokens made by `npm run token`, refused when missing, wrong, expired, revoked or of the wrong
// scope on every route (GraphQL, uploads, files, blobs, the graphql-ws connection); admin mutations; a standalone worker
// with a worker token; no secret in the API's log or the database; no start off loopback with auth off.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BlobStore } from '../src/blobs/store.ts';
import { TOKEN_ROW_TTL_MS } from '../src/resources/token/token.service.ts';
import { spawnApi, type ApiProcess } from './support/api-process.ts';
import { tempDir, writeNpy } from './support/data.ts';
import { startTestDatabase, type TestDatabase } from './support/database.ts';
import { spawnWorker } from './support/worker-process.ts';

const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const CLI = fileURLToPath(new URL('../src/auth/token-cli.ts', import.meta.url));
const MODEL = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tokenCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

type Json = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

describe('auth on', () => {
  let dir: string;
  let db: TestDatabase;
  let sql: pg.Client;
  let api: ApiProcess;
  const env = () => ({ DATABASE_URL: db.url, ODIN_DATA_DIR: join(dir, 'api') });
  const t: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const WRONG = 'odin_thisIsNotATokenThatExists0000000000000000';
  const cliOutput: string[] = [];

  const create = async (name: string, scopes: string, ...extra: string[]) => {
    const r = await tokenCli(env(), 'create', '--name', name, '--scopes', scopes, ...extra);
    expect(r.code, r.stderr).toBe(0);
    cliOutput.push(r.stderr);
    // stdout is the token alone, so `$(npm run -s token -- create …)` captures it.
    expect(r.stdout).toMatch(/^odin_[A-Za-z0-9_-]{43}\n$/);
    return r.stdout.trim();
  };
  const bearer = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});
  const gql = async (token: string | undefined, query: string, variables: Record<string, unknown> = {}) => {
    const res = await fetch(`${api.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as Json };
  };
  /** The data of a response that must have succeeded. */
  const must = (r: { status: number; body: Json }) => {
    if (r.body.errors?.length || !r.body.data) throw new Error(`HTTP ${r.status}: ${JSON.stringify(r.body.errors)}`);
    return r.body.data;
  };
  const code = (r: { body: Json }) => r.body.errors?.[0]?.extensions?.code;
  const upload = async (token: string | undefined, bytes: Uint8Array, filename = 'f.bin') => {
    const res = await fetch(`${api.url}/v1/uploads`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-filename': filename, ...bearer(token) }, body: new Uint8Array(bytes) });
    return { status: res.status, body: (await res.json()) as { id?: string; code?: string; error?: string } };
  };
  const get = async (token: string | undefined, path: string) => {
    const res = await fetch(`${api.url}${path}`, { headers: bearer(token) });
    const body = res.headers.get('content-type')?.includes('json') ? ((await res.json()) as { code?: string }) : undefined;
    return { status: res.status, code: body?.code };
  };
  /** Opens the graphql-ws connection; resolves with the close code, or 'ack' once the server acknowledges it. */
  const connect = (params: Record<string, unknown>, headers: Record<string, string> = {}, then?: (ws: WebSocket) => void) =>
    new Promise<{ result: 'ack' | number; reason: string; messages: unknown[] }>((resolve, reject) => {
      const ws = new WebSocket(`${api.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', { headers });
      const messages: unknown[] = [];
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: params })));
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { type: string };
        messages.push(msg);
        if (msg.type === 'connection_ack' && !then) {
          ws.close();
          resolve({ result: 'ack', reason: '', messages });
        } else if (msg.type === 'connection_ack') then!(ws);
        else if (msg.type === 'error' || msg.type === 'next') {
          ws.close();
          resolve({ result: 'ack', reason: '', messages });
        }
      });
      ws.on('close', (c, reason) => resolve({ result: c, reason: String(reason), messages }));
      ws.on('unexpected-response', (_req, res) => resolve({ result: res.statusCode ?? 0, reason: res.statusMessage ?? '', messages }));
      ws.on('error', reject);
    });

  beforeAll(async () => {
    dir = await tempDir();
    db = await startTestDatabase();
    t.admin = await create('admin', 'admin');
    t.read = await create('reader', 'read');
    t.write = await create('writer', 'write');
    t.worker = await create('workers', 'worker');
    t.expired = await create('short', 'read,write', '--expires', '1m');
    t.revoked = await create('gone', 'read,write');
    const revoked = await tokenCli(env(), 'revoke', 'gone');
    expect(revoked.code, revoked.stderr).toBe(0);
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    // The minute passes: the expiry is moved into the past rather than waited for.
    await sql.query("UPDATE api_token SET expires_at = now() - interval '1 second' WHERE name = 'short'");
    api = await spawnApi({ ...env(), ODIN_AUTH: 'on', ODIN_WORKER: 'off', ODIN_THREADS: '1', ODIN_CORS_ORIGINS: 'http://allowed.example' });
    const model = await upload(t.write, await readFile(MODEL), 'demo.onnx');
    expect(model.status).toBe(201);
    const reg = await gql(t.write, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "demo" }) { id sha256 } }', { u: model.body.id });
    const registered = must(reg).registerModel as { id: string; sha256: string };
    ids.model = registered.id;
    ids.modelSha = registered.sha256;
    const [inPath, outPath] = await Promise.all([writeNpy(dir, 'fashion-mnist:test', 200, 'fashion.npy'), writeNpy(dir, 'mnist', 200, 'digits.npy')]);
    for (const [key, path] of [['in', inPath], ['out', outPath]] as const) {
      const u = await upload(t.write, await readFile(path), `${key}.npy`);
      const r = await gql(t.write, 'mutation($u: ID!, $n: String!) { registerDataset(input: { uploadId: $u, name: $n }) { id } }', { u: u.body.id, n: key });
      ids[key] = (must(r).registerDataset as { id: string }).id;
    }
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await sql?.end();
    await db?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const bad = { missing: undefined, wrong: WRONG, expired: 'expired', revoked: 'revoked' } as const;
  const tokenOf = (k: string | undefined) => (k === undefined ? undefined : (t[k] ?? k));

  it.each(Object.entries(bad))('refuses a %s token with UNAUTHENTICATED: queries, mutations, uploads, files, blobs and the subscription', async (_, key) => {
    const token = tokenOf(key);
    const q = await gql(token, '{ models { totalCount } }');
    expect([q.status, code(q)]).toEqual([401, 'UNAUTHENTICATED']);
    expect(q.body.data).toBeUndefined();
    const m = await gql(token, 'mutation { createSyntheticDataset(input: { kind: UNIFORM, count: 4 }) { id } }');
    expect([m.status, code(m)]).toEqual([401, 'UNAUTHENTICATED']);
    const introspection = await gql(token, '{ __schema { queryType { name } } }');
    expect([introspection.status, code(introspection)]).toEqual([401, 'UNAUTHENTICATED']);
    const u = await upload(token, new Uint8Array([1, 2, 3]));
    expect([u.status, u.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    for (const path of [`/v1/datasets/${ids.in}/items/0.png`, `/v1/models/${ids.model}/odin.onnx`, `/v1/blobs/${ids.modelSha}`]) expect(await get(token, path)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    const ws = await connect(token ? { authorization: `Bearer ${token}` } : {});
    expect(ws.result).toBe(4401);
    expect(ws.reason).toMatch(/^UNAUTHENTICATED/);
    // Nothing was stored by the refused mutation and upload.
    expect((await sql.query("SELECT count(*)::int AS n FROM dataset WHERE kind = 'SYNTHETIC'")).rows[0].n).toBe(0);
  });

  it('lets each scope do its part and refuses the rest with FORBIDDEN', async () => {
    const read = await gql(t.read, '{ models { totalCount } }');
    expect(read.body).toEqual({ data: { models: { totalCount: 1 } } });
    expect(code(await gql(t.read, 'mutation { createSyntheticDataset(input: { kind: UNIFORM, count: 4 }) { id } }'))).toBe('FORBIDDEN');
    const writeQuery = await gql(t.write, '{ models { totalCount } }');
    expect([writeQuery.status, code(writeQuery)]).toEqual([403, 'FORBIDDEN']);
    // A mutation's own result fields need no read scope.
    const made = await gql(t.write, 'mutation { createSyntheticDataset(input: { kind: UNIFORM, count: 4, name: "noise" }) { id name } }');
    expect(made.body.errors).toBeUndefined();
    expect((made.body.data!.createSyntheticDataset as { name: string }).name).toBe('noise');
    expect(code(await gql(t.worker, '{ runs { totalCount } }'))).toBe('FORBIDDEN');
    expect((await upload(t.read, new Uint8Array([1]))).status).toBe(403);
    expect((await upload(t.worker, new Uint8Array([1]))).body.code).toBe('FORBIDDEN');
    expect((await upload(t.write, new Uint8Array([1]))).status).toBe(201);
    expect(await get(t.write, `/v1/datasets/${ids.in}/items/0.png`)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await get(t.read, `/v1/datasets/${ids.in}/items/0.png`)).status).toBe(200);
    expect((await get(t.read, `/v1/models/${ids.model}/odin.onnx`)).status).toBe(200);
    expect((await get(t.worker, `/v1/blobs/${ids.modelSha}`)).status).toBe(200);
    expect(await get(t.write, `/v1/blobs/${ids.modelSha}`)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(await get(t.worker, `/v1/models/${ids.model}/odin.onnx`)).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect(code(await gql(t.read, '{ tokens { id } }'))).toBe('FORBIDDEN');
  });

  it('allows introspection to a read token only', async () => {
    const ok = await gql(t.read, '{ __schema { queryType { name } } }');
    expect(ok.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const typeOk = await gql(t.read, '{ __type(name: "Run") { name } }');
    expect(typeOk.body.data).toEqual({ __type: { name: 'Run' } });
    for (const k of ['write', 'worker', 'admin']) expect(code(await gql(t[k], '{ __schema { types { name } } }'))).toBe('FORBIDDEN');
  });

  it('authenticates the graphql-ws connection: read passes (params or header), other scopes get 4403, mutations over it need write, foreign origins are refused', async () => {
    expect((await connect({ authorization: `Bearer ${t.read}` })).result).toBe('ack');
    expect((await connect({}, { authorization: `Bearer ${t.read}` })).result).toBe('ack');
    const w = await connect({ authorization: `Bearer ${t.write}` });
    expect([w.result, w.reason.split(':')[0]]).toEqual([4403, 'FORBIDDEN']);
    const viaWs = await connect({ authorization: `Bearer ${t.read}` }, {}, (ws) =>
      ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'mutation { createSyntheticDataset(input: { kind: UNIFORM, count: 4 }) { id } }' } })),
    );
    expect(viaWs.messages.at(-1)).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'FORBIDDEN' } }] });
    const foreign = await connect({ authorization: `Bearer ${t.read}` }, { origin: 'http://evil.example' });
    expect(foreign.result).toBe(403);
    expect((await connect({ authorization: `Bearer ${t.read}` }, { origin: 'http://allowed.example' })).result).toBe('ack');
  });

  it('lets admins list, create and revoke tokens over GraphQL; the secret is returned once and never listed', async () => {
    const made = await gql(t.admin, 'mutation { createToken(input: { name: "ci", scopes: [READ], expiresIn: "2h" }) { secret token { id name scopes expiresAt revokedAt } } }');
    expect(made.body.errors).toBeUndefined();
    const { secret, token } = made.body.data!.createToken as { secret: string; token: { id: string; scopes: string[]; expiresAt: string } };
    t.ci = secret;
    expect(token.scopes).toEqual(['READ']);
    expect(Date.parse(token.expiresAt) - Date.now()).toBeGreaterThan(7_100_000);
    expect((await gql(secret, '{ runs { totalCount } }')).body.data).toEqual({ runs: { totalCount: 0 } });
    const listed = await gql(t.admin, '{ tokens { id name scopes lastUsedAt revokedAt } }');
    const rows = listed.body.data!.tokens as { id: string; name: string; lastUsedAt: string | null; revokedAt: string | null }[];
    expect(rows.map((r) => r.name).sort()).toEqual(['admin', 'ci', 'gone', 'reader', 'short', 'workers', 'writer']);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(rows.find((r) => r.name === 'ci')!.lastUsedAt).not.toBeNull();
    expect(rows.find((r) => r.name === 'gone')!.revokedAt).not.toBeNull();
    expect(code(await gql(t.admin, 'mutation { createToken(input: { name: "x", scopes: [READ], expiresIn: "soon" }) { secret } }'))).toBe('BAD_USER_INPUT');
    expect(code(await gql(t.read, 'mutation { createToken(input: { name: "x", scopes: [ADMIN] }) { secret } }'))).toBe('FORBIDDEN');
    expect(code(await gql(t.write, 'mutation { revokeToken(id: "' + token.id + '") { id } }'))).toBe('FORBIDDEN');
    const revoked = await gql(t.admin, `mutation { revokeToken(id: "${token.id}") { revokedAt } }`);
    expect((revoked.body.data!.revokeToken as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect(code(await gql(secret, '{ runs { totalCount } }'))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token revoked by the CLI while the API holds its row, within TOKEN_ROW_TTL_MS', async () => {
    const token = await create('cached', 'read');
    expect((await gql(token, '{ runs { totalCount } }')).body.data).toEqual({ runs: { totalCount: 0 } });
    expect((await tokenCli(env(), 'revoke', 'cached')).code).toBe(0);
    const revokedAt = Date.now();
    while (code(await gql(token, '{ runs { totalCount } }')) !== 'UNAUTHENTICATED') {
      expect(Date.now() - revokedAt).toBeLessThan(TOKEN_ROW_TTL_MS + 2000);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('runs a standalone worker with a worker token: it fetches the blobs from the API and the run succeeds', async () => {
    const started = await gql(t.write, 'mutation($m: ID!, $i: ID!, $o: [ID!]!) { startRun(input: { modelId: $m, inDatasetId: $i, outDatasetIds: $o, batchSize: 50 }) { id } }', {
      m: ids.model,
      i: ids.in,
      o: [ids.out],
    });
    const id = (must(started).startRun as { id: string }).id;
    const worker = await spawnWorker({ DATABASE_URL: db.url, ODIN_API_URL: api.url, ODIN_TOKEN: t.worker, ODIN_DATA_DIR: join(dir, 'worker'), ODIN_THREADS: '1' });
    try {
      const run = await waitForRunWith(t.read, id);
      expect(run.status, run.error ?? '').toBe('SUCCEEDED');
      // It had no store of its own: the model came over GET /v1/blobs with its token.
      expect(await new BlobStore(join(dir, 'worker', 'blobs')).has(ids.modelSha)).toBe(true);
    } finally {
      await worker.stop();
    }
  }, 240_000);

  async function waitForRunWith(token: string, id: string) {
    const until = Date.now() + 200_000;
    for (;;) {
      const r = await gql(token, 'query($id: ID!) { run(id: $id) { status error } }', { id });
      const run = must(r).run as { status: string; error: string | null };
      if (!['QUEUED', 'RUNNING'].includes(run.status) || Date.now() > until) return run;
      await new Promise((res) => setTimeout(res, 250));
    }
  }

  it('keeps every token secret out of the API’s log and out of the database', async () => {
    const secrets = [...Object.values(t), WRONG];
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    const log = api.log();
    expect(log).toContain('auth on');
    for (const s of secrets) expect(log).not.toContain(s);
    for (const s of cliOutput) for (const secret of secrets) expect(s).not.toContain(secret);
    const tables = (await sql.query<{ name: string }>("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")).rows;
    expect(tables.map((r) => r.name)).toContain('public.api_token');
    let scanned = 0;
    for (const { name } of tables) {
      const { rows } = await sql.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${name} t`);
      for (const { row } of rows) {
        scanned++;
        // Secrets are base64url; a hex or base64 copy of one would not match, so check those encodings too.
        for (const s of secrets) for (const form of [s, s.slice(5), Buffer.from(s).toString('hex'), Buffer.from(s).toString('base64')]) expect(row).not.toContain(form);
      }
    }
    expect(scanned).toBeGreaterThan(10);
    const hashes = (await sql.query<{ hash: string }>('SELECT hash FROM api_token')).rows.map((r) => r.hash);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
  });

  it('does not start on a non-loopback HOST with auth off, and says why', async () => {
    await expect(spawnApi({ ...env(), HOST: '0.0.0.0', ODIN_AUTH: 'off', ODIN_WORKER: 'off' })).rejects.toThrow(/Refusing to start: HOST=0\.0\.0\.0 .*ODIN_AUTH is off/);
    const listed = await tokenCli(env(), 'list');
    expect(listed.stdout).toMatch(/gone\s+read,write\s+revoked/);
    expect(listed.stdout).toMatch(/short\s+read,write\s+expired/);
    const usage = await tokenCli(env(), 'create', '--name', 'x', '--scopes', 'read,sudo');
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining('unknown scope sudo')]);
  }, 120_000);
});
