// Bad uploads and bad registrations get clear errors, and leave nothing half-written in the data folder or the database.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchName, png, zipBytes } from '../src/datasets/test-fixtures.ts';
import { gql, spawnApi, upload, uploadId, type ApiProcess } from './support/api-process.ts';
import { tempDir } from './support/data.ts';

const MODEL = new URL('../../../packages/engine/demo/fashion-mnist-small-cnn.onnx', import.meta.url);
const LIMIT = 4 * 1024 * 1024;

const files = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe('bad input', () => {
  let dir: string;
  let api: ApiProcess;
  const uploads = () => gql<{ x: unknown }>(api.url, '{ models { totalCount } datasets { totalCount } }');
  const blobs = () => files(join(dir, 'data', 'blobs'));
  const registerModel = async (bytes: Uint8Array) => gql(api.url, 'mutation($u: ID!) { registerModel(input: { uploadId: $u, name: "m" }) { id } }', { u: await uploadId(api.url, bytes) });
  const registerDataset = async (bytes: Uint8Array, filename: string) =>
    gql<{ registerDataset: { id: string; itemCount: number; rejected: { entry: string; reason: string }[] } }>(api.url, 'mutation($u: ID!) { registerDataset(input: { uploadId: $u, name: "d" }) { id itemCount rejected { entry reason } } }', {
      u: await uploadId(api.url, bytes, filename),
    });

  beforeAll(async () => {
    dir = await tempDir();
    api = await spawnApi({ ODIN_DATA_DIR: join(dir, 'data'), ODIN_UPLOAD_LIMIT_BYTES: String(LIMIT) });
  });
  afterAll(async () => {
    await api?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a file that is not ONNX, and a truncated model, with BAD_USER_INPUT', async () => {
    const notOnnx = await registerModel(Buffer.from('hello, this is not a model'));
    expect(notOnnx.errors?.[0]).toMatchObject({ message: expect.stringMatching(/not a readable ONNX model/), extensions: { code: 'BAD_USER_INPUT' } });
    const model = await readFile(MODEL);
    const truncated = await registerModel(model.subarray(0, model.length / 2));
    expect(truncated.errors?.[0]).toMatchObject({ message: expect.stringMatching(/not a readable ONNX model/), extensions: { code: 'BAD_USER_INPUT' } });
    expect((await uploads()).data).toEqual({ models: { totalCount: 0 }, datasets: { totalCount: 0 } });
  });

  it('reports zip entries with ../ or absolute paths and writes nothing outside the dataset folder', async () => {
    const good = await png(8, 8, 1, 1);
    const zip = patchName(await zipBytes([{ name: 'cls/good.png', data: good }, { name: 'xx/evil.png', data: good }, { name: 'zbsolute.png', data: good }]), 'xx/evil.png', '../evil.png');
    const r = await registerDataset(patchName(zip, 'zbsolute.png', '/bsolute.png'), 'set.zip');
    expect(r.errors).toBeUndefined();
    expect(r.data!.registerDataset.itemCount).toBe(1);
    expect(r.data!.registerDataset.rejected.map((e) => e.entry).sort()).toEqual(['../evil.png', '/bsolute.png']);
    const written = await files(join(dir, 'data'));
    expect(written.filter((f) => f.endsWith('evil.png') || f.endsWith('bsolute.png'))).toEqual([]);
    expect(await files(join(dir, 'evil.png'))).toEqual([]);
  });

  it('refuses a zip bomb and leaves no dataset folder behind', async () => {
    // A PNG signature, then 200 MB of zeros: it looks like an image until it is inflated.
    const zeros = Buffer.alloc(200 * 1024 * 1024);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(zeros);
    const bomb = await zipBytes([{ name: 'a/zeros.png', data: zeros }]);
    expect(bomb.length).toBeLessThan(LIMIT);
    const before = await readdir(join(dir, 'data', 'datasets')).catch(() => []);
    const r = await registerDataset(bomb, 'bomb.zip');
    expect(r.errors?.[0]).toMatchObject({ message: expect.stringMatching(/ratio|compress/i), extensions: { code: 'BAD_USER_INPUT' } });
    expect(await readdir(join(dir, 'data', 'datasets')).catch(() => [])).toEqual(before);
  });

  it('answers 413 to a body over the limit, declared or streamed, and keeps no part of it', async () => {
    const blobsBefore = await blobs();
    const declared = await upload(api.url, new Uint8Array(LIMIT + 1));
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatch(/upload limit of 4194304 bytes/);
    // Chunked, with no Content-Length: the limit is found while streaming.
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${api.url}/v1/uploads`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' } }, (res) => resolve(res.statusCode!));
      req.on('error', reject);
      const chunk = Buffer.alloc(256 * 1024, 7);
      let sent = 0;
      const pump = () => {
        while (sent < LIMIT + 2 * chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    }).catch(() => 413);
    expect(status).toBe(413);
    expect(await blobs()).toEqual(blobsBefore);
  });

  it('refuses a body whose sha256 differs from X-Content-SHA256, keeping nothing', async () => {
    const blobsBefore = await blobs();
    const r = await upload(api.url, Buffer.from('some bytes'), { 'x-content-sha256': 'a'.repeat(64) });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/X-Content-SHA256 says a{64}, but the body's sha256 is [0-9a-f]{64}/);
    expect(await blobs()).toEqual(blobsBefore);
    const sha256 = createHash('sha256').update('some bytes').digest('hex');
    expect(await upload(api.url, Buffer.from('some bytes'), { 'x-content-sha256': sha256 })).toMatchObject({ status: 201, body: { sha256, size: 10 } });
  });

  it('keeps nothing of an upload whose client goes away half-way', async () => {
    const blobsBefore = await blobs();
    await new Promise<void>((resolve) => {
      const req = request(`${api.url}/v1/uploads`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(1024 * 1024) } });
      req.on('error', () => resolve());
      req.write(Buffer.alloc(300 * 1024), () => setTimeout(() => (req.destroy(), resolve()), 200));
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(await blobs()).toEqual(blobsBefore);
    expect(await files(join(dir, 'data', 'blobs', 'tmp'))).toEqual([]);
  });

  it('names the variable when the configuration is invalid', async () => {
    await expect(spawnApi({ ODIN_DATA_DIR: join(dir, 'other'), PORT: 'eighty', ODIN_WORKER: 'maybe' })).rejects.toThrow(/PORT="eighty"[\s\S]*ODIN_WORKER="maybe"/);
  });
});
