// The dashboard in front of the real API with ODIN_AUTH=on: a token made by the root `npm run token` script, signed in
// through /session, reaches the API as a bearer header for GraphQL, uploads, files and server-rendered pages; without
// it the API's UNAUTHENTICATED comes through; the API's refusal of simple cross-site requests holds behind the proxy.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase } from '../../api/test/support/database.ts';
import { startStack, type Stack } from './support/stack.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('the dashboard with auth on', () => {
  let db: TestDatabase;
  let stack: Stack;
  let cookie: string;
  let token: string;

  beforeAll(async () => {
    db = await startTestDatabase();
    const made = await promisify(execFile)('npm', ['run', '-s', 'token', '--', 'create', '--name', 'dashboard', '--scopes', 'read,write'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url } });
    token = made.stdout.trim();
    expect(token).toMatch(/^odin_[A-Za-z0-9_-]{43}$/);
    stack = await startStack({ ODIN_AUTH: 'on', DATABASE_URL: db.url, ODIN_WORKER: 'off' });
    const session = await fetch(`${stack.web.url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    cookie = session.headers.get('set-cookie')!.split(';')[0]!;
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.stop();
  });

  // What a browser on the dashboard's own page sends: its origin, JSON, and (once signed in) the cookie.
  const graphql = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${stack.web.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', origin: stack.web.url, ...headers }, body: JSON.stringify({ query }) });

  it('passes the API’s UNAUTHENTICATED through without the cookie, and answers with it', async () => {
    const anonymous = await graphql('{ runs { totalCount } }');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    const signedIn = await graphql('{ runs { totalCount } }', { cookie });
    expect(await signedIn.json()).toEqual({ data: { runs: { totalCount: 0 } } });
  });

  it('uploads and downloads files through the proxy with the token', async () => {
    const body = new Uint8Array([1, 2, 3, 4]);
    const headers = { 'content-type': 'application/octet-stream', origin: stack.web.url };
    expect((await fetch(`${stack.web.url}/v1/uploads`, { method: 'POST', headers, body })).status).toBe(401);
    const up = await fetch(`${stack.web.url}/v1/uploads`, { method: 'POST', headers: { ...headers, cookie }, body });
    expect(up.status).toBe(201);
    expect(await up.json()).toMatchObject({ size: 4 });
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await fetch(`${stack.web.url}/v1/datasets/${missing}/items/0.png`)).status).toBe(401);
    // Authenticated, the API looks the dataset up (and does not have it).
    expect((await fetch(`${stack.web.url}/v1/datasets/${missing}/items/0.png`, { headers: { cookie } })).status).toBe(404);
  });

  it('renders server pages with the token', async () => {
    const page = await fetch(`${stack.web.url}/runs`, { headers: { cookie } });
    expect(page.status).toBe(200);
    // The first page of runs is fetched on the server and arrives dehydrated in the HTML, only when the API let it in.
    expect(await page.text()).toMatch(/totalCount\\*":0/);
    expect(await (await fetch(`${stack.web.url}/runs`)).text()).not.toMatch(/totalCount\\*":0/);
  });

  it('keeps refusing simple cross-site requests behind the proxy', async () => {
    const form = await fetch(`${stack.web.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain', cookie }, body: JSON.stringify({ query: '{ runs { totalCount } }' }) });
    expect(form.status).toBe(400);
    expect(await form.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
    expect(stack.api.log()).not.toContain(token);
  });
});
