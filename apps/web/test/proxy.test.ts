// The same-origin proxy: /graphql and /v1/* reach the API named by ODIN_API_URL at run time, bodies stream both ways,
// the token cookie becomes a bearer header, and an unreachable API is a clear 502.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnWeb, type WebProcess } from '../launch/spawn.ts';
import { launchBrowser, openPage } from './support/browser.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  sha256: string;
  bytes: number;
}

let upstream: Server;
const seen: Seen[] = [];
let web: WebProcess;

beforeAll(async () => {
  // A real HTTP server standing in for the API: it records what arrives and answers with a digest of the body.
  upstream = createServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', () => {
      const record = { method: req.method!, url: req.url!, headers: req.headers, sha256: hash.digest('hex'), bytes };
      seen.push(record);
      res.writeHead(req.url!.startsWith('/v1/uploads') ? 201 : 200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ data: { echo: { url: record.url, sha256: record.sha256, bytes } } }));
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  web = await spawnWeb({ apiUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, port: await freePort() });
});

afterAll(async () => {
  await web?.stop();
  await new Promise((r) => upstream?.close(r));
});

describe('the proxy routes', () => {
  it('keeps the token in an httpOnly SameSite=Strict cookie and sends it to the API as a bearer header, never the cookie', async () => {
    const set = await fetch(`${web.url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'odin_secret_123' }) });
    expect(set.status).toBe(200);
    const cookie = set.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^odin_token=odin_secret_123;/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(await set.text()).not.toContain('odin_secret_123');

    const res = await fetch(`${web.url}/graphql?op=x`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'odin_token=odin_secret_123; other=1' }, body: '{"query":"{ __typename }"}' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-upstream')).toBe('yes');
    const last = seen.at(-1)!;
    expect(last.url).toBe('/graphql?op=x');
    expect(last.headers.authorization).toBe('Bearer odin_secret_123');
    expect(last.headers.cookie).toBeUndefined();
    expect(last.sha256).toBe(createHash('sha256').update('{"query":"{ __typename }"}').digest('hex'));

    const anonymous = await fetch(`${web.url}/v1/datasets/abc/items/0.png`);
    expect(anonymous.status).toBe(200);
    expect(seen.at(-1)!.url).toBe('/v1/datasets/abc/items/0.png');
    expect(seen.at(-1)!.headers.authorization).toBeUndefined();
  });

  it('refuses an empty or multi-line token', async () => {
    for (const token of ['', 'a b', 'x\ny']) {
      const res = await fetch(`${web.url}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      expect(res.status).toBe(400);
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('streams a 96 MB upload through to the API byte for byte', async () => {
    const body = randomBytes(96 * 1024 * 1024);
    const res = await fetch(`${web.url}/v1/uploads`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-filename': 'big.bin' }, body });
    expect(res.status).toBe(201);
    const last = seen.at(-1)!;
    expect(last.headers['x-filename']).toBe('big.bin');
    expect(last.bytes).toBe(body.length);
    expect(last.sha256).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('answers 502 with code UNREACHABLE when the API is down', async () => {
    const dead = await freePort();
    const orphan = await spawnWeb({ apiUrl: `http://127.0.0.1:${dead}`, port: await freePort() });
    try {
      const res = await fetch(`${orphan.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      expect(res.status).toBe(502);
      const json = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(json.errors[0].extensions.code).toBe('UNREACHABLE');
      expect(json.errors[0].message).toContain(`127.0.0.1:${dead}`);

      const browser = await launchBrowser();
      try {
        const { page, problems, screenshot } = await openPage(browser);
        await page.goto(`${orphan.url}/runs`);
        await page.locator('[data-api-status=down]').waitFor();
        await page.locator('[data-error-code=UNREACHABLE]').waitFor({ timeout: 30_000 });
        await screenshot('runs-api-down');
        // Chromium logs every 502 as "Failed to load resource"; nothing else may reach the console.
        expect(problems.filter((p) => !p.includes('Failed to load resource'))).toEqual([]);
      } finally {
        await browser.close();
      }
    } finally {
      await orphan.stop();
    }
  });
});
