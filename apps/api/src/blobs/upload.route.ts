// POST /v1/uploads: the raw request body streamed into the blob store, answered with the upload's id, sha256 and size.
import type { Request, Response } from 'express';
import type { Db } from '../db/client.ts';
import { BlobDigestMismatchError, BlobTooLargeError, type BlobStore } from './store.ts';

export function uploadRoute(db: Db, blobs: BlobStore, limit: number) {
  return async (req: Request, res: Response) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/octet-stream')
      return void res.status(415).json({ error: `send the file as the raw body with Content-Type: application/octet-stream (got ${type || 'none'})` });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      res.status(413).json({ error: `the body (${declared} bytes) is larger than the upload limit of ${limit} bytes` });
      req.resume();
      return;
    }
    const expected = header(req, 'x-content-sha256');
    if (expected !== undefined && !/^[0-9a-fA-F]{64}$/.test(expected))
      return void res.status(400).json({ error: 'X-Content-SHA256 must be 64 hex digits' });
    try {
      const { sha256, size } = await blobs.put(req, { limit, expectedSha256: expected });
      const upload = await db.upload.create({ data: { sha256, size, filename: header(req, 'x-filename') ?? null } });
      res.status(201).json({ id: upload.id, sha256, size });
    } catch (e) {
      if (e instanceof BlobTooLargeError) {
        res.status(413).set('Connection', 'close').json({ error: e.message });
        req.destroy();
      } else if (e instanceof BlobDigestMismatchError) res.status(400).json({ error: e.message });
      else if (req.destroyed || req.readableAborted) res.destroy();
      else throw e;
    }
  };
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (s === undefined || s === '') return undefined;
  return name === 'x-filename' ? decodeURIComponent(s) : s;
}
