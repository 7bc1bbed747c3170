// Where a worker finds model and dataset blobs: the API's store on the same machine, or fetched from the API by hash into a local cache.
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { randomUUID } from 'node:crypto';
import type { BlobStore } from '../blobs/store.ts';
import { importDataset } from '../datasets/import.ts';
import type { Dataset as DatasetRow } from '../generated/prisma/client.ts';

export interface BlobSource {
  /** A local path of the blob, fetched first where needed. */
  path(sha256: string): Promise<string>;
  /** Makes an uploaded dataset's imported folder exist at `dir` (a remote worker imports its blob again). */
  ensureDataset(row: DatasetRow, dir: string): Promise<void>;
}

/** The API's own store: everything is already there. */
export function localBlobs(store: BlobStore): BlobSource {
  return { path: async (sha256) => store.path(sha256), ensureDataset: async () => {} };
}

/** Blobs fetched from `GET {apiUrl}/v1/blobs/:sha256` into `cache` (checked against their hash), once per machine. */
export function remoteBlobs(cache: BlobStore, apiUrl: string, token: string | undefined, log: (line: string) => void): BlobSource {
  const inFlight = new Map<string, Promise<string>>();
  const once = <T extends string>(key: string, make: () => Promise<T>) => {
    let p = inFlight.get(key);
    if (!p) {
      p = make();
      inFlight.set(key, p);
      void p.finally(() => inFlight.delete(key)).catch(() => {});
    }
    return p;
  };
  const path = (sha256: string) =>
    once(sha256, async () => {
      if (await cache.has(sha256)) return cache.path(sha256);
      const res = await fetch(`${apiUrl.replace(/\/$/, '')}/v1/blobs/${sha256}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (!res.ok || !res.body) throw new Error(`fetching blob ${sha256} from ${apiUrl}: HTTP ${res.status}`);
      await cache.put(Readable.fromWeb(res.body as ReadableStream<Uint8Array>), { expectedSha256: sha256 });
      log(`worker: fetched blob ${sha256} from ${apiUrl}`);
      return cache.path(sha256);
    });
  return {
    path,
    ensureDataset: async (row, dir) => {
      if (row.kind !== 'UPLOADED' || existsSync(dir)) return;
      await once(`dataset:${row.id}`, async () => {
        if (existsSync(dir)) return dir;
        // Imported next to its final place and renamed, so a worker killed mid-import leaves no half folder behind.
        const tmp = join(dir, '..', `.${row.id}.${randomUUID()}`);
        await mkdir(tmp, { recursive: true });
        try {
          const imported = await importDataset(await path(row.sha256!), tmp);
          if (imported.path !== row.sourceSpec) throw new Error(`dataset ${row.id} imported as ${imported.path}, but the API has ${row.sourceSpec}`);
          await rename(tmp, dir).catch((e) => {
            if (!existsSync(dir)) throw e;
          });
        } finally {
          await rm(tmp, { recursive: true, force: true });
        }
        return dir;
      });
    },
  };
}
