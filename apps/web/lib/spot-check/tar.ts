// Packs files into a plain ustar archive in the browser, the format the API's dataset import reads (besides zip).
// NOTE: written here rather than taken from a library: the ustar header is a fixed 512-byte record, and the
// archivers on npm either need Node streams or compress, which PNG/JPEG bytes don't gain from.

const BLOCK = 512;

function header(name: string, size: number, mtime: number): Uint8Array<ArrayBuffer> {
  const h = new Uint8Array(BLOCK);
  const put = (text: string, offset: number, length: number) => h.set(new TextEncoder().encode(text).subarray(0, length), offset);
  const octal = (n: number, length: number) => `${n.toString(8).padStart(length - 1, '0')}\0`;
  put(name, 0, 100);
  put(octal(0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(Math.floor(mtime / 1000), 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\u000000', 257, 8);
  const checksum = h.reduce((s, b) => s + b, 0);
  put(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

/** A tar of `files` under their names (which must be unique, ASCII and at most 100 bytes). */
export async function tarFiles(files: { name: string; data: Blob }[]): Promise<Blob> {
  const parts: BlobPart[] = [];
  const now = Date.now();
  for (const { name, data } of files) {
    if (new TextEncoder().encode(name).length > 100) throw new Error(`file name too long for the archive: ${name}`);
    parts.push(header(name, data.size, now), data);
    const pad = (BLOCK - (data.size % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  return new Blob(parts, { type: 'application/x-tar' });
}
