// The spot check's pure helpers: the browser-side tar writer (read back with tar-stream, as the API's import reads it)
// and a score's share of a run's in-distribution histogram.
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { inBelow } from '../lib/spot-check/histogram.ts';
import { tarFiles } from '../lib/spot-check/tar.ts';

async function entries(archive: Blob): Promise<{ name: string; size: number; data: Buffer }[]> {
  const extract = tar.extract();
  const out: { name: string; size: number; data: Buffer }[] = [];
  Readable.from(Buffer.from(await archive.arrayBuffer())).pipe(extract);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    out.push({ name: entry.header.name, size: entry.header.size ?? -1, data: Buffer.concat(chunks) });
  }
  return out;
}

describe('tarFiles', () => {
  it('writes entries tar-stream reads back byte for byte, padded to 512-byte blocks', async () => {
    const a = new Uint8Array(700).map((_, i) => i % 251);
    const b = new Uint8Array(512).fill(7);
    const archive = await tarFiles([
      { name: 'a.png', data: new Blob([a]) },
      { name: 'dir_b.jpg', data: new Blob([b]) },
      { name: 'empty.png', data: new Blob([]) },
    ]);
    expect(archive.size % 512).toBe(0);
    expect(archive.size).toBe(512 + 1024 + 512 + 512 + 512 + 1024);
    const got = await entries(archive);
    expect(got.map((e) => [e.name, e.size])).toEqual([
      ['a.png', 700],
      ['dir_b.jpg', 512],
      ['empty.png', 0],
    ]);
    expect(new Uint8Array(got[0].data)).toEqual(a);
    expect(new Uint8Array(got[1].data)).toEqual(b);
  });

  it('refuses names longer than the ustar field', async () => {
    await expect(tarFiles([{ name: `${'x'.repeat(101)}.png`, data: new Blob([]) }])).rejects.toThrow(/too long/);
  });
});

describe('inBelow', () => {
  const h = { edges: [0, 1, 2, 4], in: [10, 20, 10], out: [5, 0, 0] };
  it('interpolates within a bin and saturates outside the range', () => {
    expect(inBelow(h, -1)).toBe(0);
    expect(inBelow(h, 0.5)).toBeCloseTo(5 / 40);
    expect(inBelow(h, 1)).toBeCloseTo(10 / 40);
    expect(inBelow(h, 3)).toBeCloseTo(35 / 40);
    expect(inBelow(h, 9)).toBe(1);
    expect(inBelow({ edges: [0, 1], in: [0], out: [3] }, 0.5)).toBe(0);
  });
});
