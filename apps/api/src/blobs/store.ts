// Content-addressed blob store under the data folder: files named by their sha256, written atomically.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isAlive } from '../os/process-state.ts';

export class BlobTooLargeError extends Error {
  override name = 'BlobTooLargeError';
  constructor(readonly limit: number) {
    super(`the body is larger than the upload limit of ${limit} bytes`);
  }
}

export class BlobDigestMismatchError extends Error {
  override name = 'BlobDigestMismatchError';
}

const SHA256 = /^[0-9a-f]{64}$/;

export class BlobStore {
  constructor(readonly root: string) {}

  path(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    return stat(this.path(sha256)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Streams `body` into the store, hashing as it goes. A body over `limit` bytes, a digest other than
   * `expectedSha256`, or a broken stream leaves nothing behind.
   */
  async put(body: Readable, opts: { limit?: number; expectedSha256?: string } = {}): Promise<{ sha256: string; size: number }> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    // Named by the writing process, so that a later start can tell a killed writer's leftovers from live uploads.
    const tmp = join(tmpDir, `${process.pid}.${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    const limit = opts.limit ?? Infinity;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit) return done(new BlobTooLargeError(limit));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { flags: 'wx' }));
      const sha256 = hash.digest('hex');
      if (opts.expectedSha256 && opts.expectedSha256.toLowerCase() !== sha256)
        throw new BlobDigestMismatchError(`X-Content-SHA256 says ${opts.expectedSha256}, but the body's sha256 is ${sha256}`);
      const final = this.path(sha256);
      await mkdir(join(final, '..'), { recursive: true });
      await rename(tmp, final);
      return { sha256, size };
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  /** Removes the partial files of uploads whose process is gone (killed mid-upload); returns how many. */
  async removeAbandonedUploads(): Promise<number> {
    const names = await readdir(join(this.root, 'tmp')).catch(() => []);
    const alive = await Promise.all(names.map((name) => isAlive(Number(name.split('.')[0]))));
    const abandoned = names.filter((_, i) => !alive[i]);
    await Promise.all(abandoned.map((name) => rm(join(this.root, 'tmp', name), { force: true })));
    return abandoned.length;
  }

  /** Stores bytes already in memory (e.g. a compiled graph). */
  async putBytes(bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
    return this.put(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]));
  }
}
