// GET /v1/blobs/:sha256: a stored blob by its hash, for standalone workers that cache models and datasets on their own machine.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import type { BlobStore } from './store.ts';

/** Behind a token with the worker (or read) scope when ODIN_AUTH=on (server.ts). */
export function downloadRoute(blobs: BlobStore) {
  return async (req: Request, res: Response) => {
    const sha256 = String(req.params.sha256);
    if (!/^[0-9a-f]{64}$/.test(sha256)) return void res.status(400).json({ error: 'expected /v1/blobs/<sha256, 64 lowercase hex digits>' });
    const path = blobs.path(sha256);
    const info = await stat(path).catch(() => undefined);
    if (!info) return void res.status(404).json({ error: `no blob ${sha256}` });
    res.set({ 'content-type': 'application/octet-stream', 'content-length': String(info.size), etag: `"${sha256}"`, 'cache-control': 'public, max-age=31536000, immutable' });
    await pipeline(createReadStream(path), res).catch(() => res.destroy());
  };
}
