// Property-based fuzzing of the readers that take users' files: the ONNX reader, the .npy and IDX readers and the
// archive unpacker (dataset import). Thousands of mutated files; each call must parse or throw our own typed error,
// within a time bound and without allocating what a lying header claims. Seeds are fixed, so a failure replays.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { AttributeProtoSchema, AttributeProto_AttributeType, ModelProtoSchema, NodeProtoSchema, TensorProtoSchema, TensorProto_DataLocation } from 'onnx-buf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError, readModel, type Model } from '@odin/engine';
import { DatasetError, decodeImage, openIdx, openNpy, parseIdxHeader, parseNpyHeader } from '@odin/engine/node';
import { DatasetImportError, importDataset } from '@odin/api/datasets';
import { idxBytes, jpeg, npyBytes, png, ramp, tarBytes, tempDir, zipBytes } from '@odin/api/datasets/test-fixtures';
import { DEMO_MODEL, goodSmallModel } from './support/bad-models.ts';
import { bufferGrowth, mutated, onlyTyped, within } from './support/fuzz.ts';

/** Runs per property; with SEED fixed, a failure prints the smallest failing input and replays. */
const RUNS = { onnx: 3000, onnxDemo: 500, onnxTensors: 1000, npy: 2000, idx: 2000, archives: 800, archiveNames: 400, images: 1500 };
const SEED = 14;
/** Largest ArrayBuffer growth one call may cause: the biggest valid fixture is a few MB. */
const MEMORY_BOUND = 256 * 1024 * 1024;
/** One reader call on a small file must finish in this time; a header that makes it loop over 10^12 records will not. */
const TIME_BOUND_MS = 5_000;

const outcomes = () => ({ parsed: 0, refused: 0 });

/** Reads a model and decodes every initializer and tensor attribute, as compiling it would. */
function readFully(bytes: Uint8Array): Model {
  const model = readModel(bytes);
  for (const init of model.graph.initializers.values()) void init.tensor;
  return model;
}

describe('fuzzing the ONNX reader', () => {
  const seen = outcomes();
  afterAll(() => console.log(`ONNX reader: ${seen.parsed} parsed, ${seen.refused} refused with ModelFormatError`));

  it('parses or throws ModelFormatError for mutated models (a small classifier and the demo CNN)', () => {
    for (const [base, runs] of [
      [goodSmallModel(), RUNS.onnx],
      [new Uint8Array(DEMO_MODEL), RUNS.onnxDemo],
    ] as const) {
      fc.assert(
        fc.property(mutated(base, 4, 256), (bytes) => {
          const before = process.memoryUsage().arrayBuffers;
          try {
            readFully(bytes);
            seen.parsed++;
          } catch (e) {
            if (!(e instanceof ModelFormatError)) throw e;
            seen.refused++;
          }
          expect(bufferGrowth(before)).toBeLessThan(MEMORY_BOUND);
        }),
        { numRuns: runs, seed: SEED },
      );
    }
    expect(seen.parsed).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it('parses or throws ModelFormatError for initializers with arbitrary types, dims and data, allocating only what the file holds', () => {
    const tensor = fc.record({
      dataType: fc.integer({ min: 0, max: 25 }),
      dims: fc.array(fc.oneof(fc.bigInt({ min: -4n, max: 64n }), fc.constantFrom(1n << 29n, 1n << 31n, 1n << 40n, (1n << 63n) - 1n, -(1n << 63n))), { maxLength: 4 }),
      rawData: fc.uint8Array({ maxLength: 64 }),
      floatData: fc.array(fc.float(), { maxLength: 8 }),
      int64Data: fc.array(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), { maxLength: 8 }),
      external: fc.boolean(),
      asConstant: fc.boolean(),
      missingValue: fc.boolean(),
    });
    fc.assert(
      fc.property(tensor, (t) => {
        const model = readModel(goodSmallModel());
        const proto = create(TensorProtoSchema, {
          name: 'w',
          dataType: t.dataType,
          dims: t.dims,
          rawData: t.rawData,
          floatData: t.floatData,
          int64Data: t.int64Data,
          dataLocation: t.external ? TensorProto_DataLocation.EXTERNAL : TensorProto_DataLocation.DEFAULT,
        });
        const source = model.proto!;
        const graph = { ...source.graph!, initializer: source.graph!.initializer.map((i) => (i.name === 'w' && !t.asConstant ? proto : i)) };
        // As a Constant node's value instead (decoded while reading), or a tensor attribute with no tensor at all.
        const attribute = create(AttributeProtoSchema, { name: 'value', type: AttributeProto_AttributeType.TENSOR, t: t.missingValue ? undefined : proto });
        if (t.asConstant) graph.node = [create(NodeProtoSchema, { opType: 'Constant', output: ['c'], attribute: [attribute] }), ...graph.node];
        const bytes = toBinary(ModelProtoSchema, create(ModelProtoSchema, { ...source, graph }));
        const before = process.memoryUsage().arrayBuffers;
        try {
          readFully(bytes);
          seen.parsed++;
        } catch (e) {
          if (!(e instanceof ModelFormatError)) throw e;
          seen.refused++;
        }
        expect(bufferGrowth(before)).toBeLessThan(MEMORY_BOUND);
      }),
      { numRuns: RUNS.onnxTensors, seed: SEED },
    );
  });
});

/** Every sample and skip of a dataset, bounded in time. */
async function drainWithin(open: () => Promise<{ size: number; batches: (o: { batchSize: number; onSkip: () => void }) => AsyncIterable<unknown[]> }>): Promise<void> {
  await within(TIME_BOUND_MS, 'opening and reading the file', (async () => {
    const ds = await open();
    for await (const _ of ds.batches({ batchSize: 64, onSkip: () => {} })) {
      // Reading every item is the point.
    }
  })());
}

describe('fuzzing the .npy and IDX readers', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let n = 0;
  const seen = { npy: outcomes(), idx: outcomes() };
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(async () => {
    console.log(`.npy reader: ${seen.npy.parsed} parsed, ${seen.npy.refused} refused; IDX reader: ${seen.idx.parsed} parsed, ${seen.idx.refused} refused (DatasetError)`);
    await cleanup();
  });

  type NpyHeaderCase = { descr: string; fortran: string; shape: number[]; major: number; lengthLie: number; data: number };
  const npyHeader: fc.Arbitrary<NpyHeaderCase> = fc.record({
    descr: fc.constantFrom('|u1', '<f4', '>f4', '<f8', '<i8', '|b1', 'O', '<U3', ''),
    fortran: fc.constantFrom('False', 'True', 'maybe'),
    shape: fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constantFrom(2 ** 31, 2 ** 32 + 1, 1e12, 2 ** 53, -1)), { maxLength: 5 }),
    major: fc.constantFrom(1, 2, 3, 9),
    lengthLie: fc.integer({ min: -20, max: 20 }),
    data: fc.integer({ min: 0, max: 5000 }),
  });

  function npyFrom(h: NpyHeaderCase): Uint8Array {
    const dict = `{'descr': '${h.descr}', 'fortran_order': ${h.fortran}, 'shape': (${h.shape.join(', ')}${h.shape.length === 1 ? ',' : ''}), }\n`;
    const v1 = h.major === 1;
    const pre = Buffer.alloc(v1 ? 10 : 12);
    pre.set([0x93, ...Buffer.from('NUMPY'), h.major, 0]);
    const len = Math.max(0, dict.length + h.lengthLie);
    if (v1) pre.writeUInt16LE(Math.min(len, 0xffff), 8);
    else pre.writeUInt32LE(len, 8);
    return Buffer.concat([pre, Buffer.from(dict, 'latin1'), Buffer.from(ramp(h.data))]);
  }

  const checkNpy = async (bytes: Uint8Array) => {
    const path = join(dir, `f${n++}.npy`);
    await writeFile(path, bytes);
    const before = process.memoryUsage().arrayBuffers;
    const r = await onlyTyped([DatasetError], async () => {
      parseNpyHeader(bytes.subarray(0, 4096), path);
      await drainWithin(() => openNpy(path, 'fuzz'));
    });
    seen.npy[r]++;
    expect(bufferGrowth(before)).toBeLessThan(MEMORY_BOUND);
    await rm(path);
  };

  it('reads or refuses (DatasetError) .npy files with generated headers', async () => {
    await fc.assert(fc.asyncProperty(npyHeader, (h) => checkNpy(npyFrom(h))), { numRuns: RUNS.npy / 2, seed: SEED });
  });

  it('reads or refuses (DatasetError) mutated .npy files', async () => {
    const base = npyBytes(ramp(6 * 8 * 8), [6, 8, 8]);
    await fc.assert(fc.asyncProperty(mutated(base, 4, 128), checkNpy), { numRuns: RUNS.npy / 2, seed: SEED });
  });

  const checkIdx = (gzip: boolean) => async (bytes: Uint8Array) => {
    const path = join(dir, `f${n++}-images-idx3-ubyte${gzip ? '.gz' : ''}`);
    await writeFile(path, bytes);
    const before = process.memoryUsage().arrayBuffers;
    const r = await onlyTyped([DatasetError], async () => {
      if (!gzip) parseIdxHeader(bytes.subarray(0, 64), path);
      await drainWithin(() => openIdx(path, 'fuzz'));
    });
    seen.idx[r]++;
    expect(bufferGrowth(before)).toBeLessThan(MEMORY_BOUND);
    await rm(path);
  };

  const idxHeader = fc.record({
    magic: fc.tuple(fc.constantFrom(0, 1, 0xff), fc.constantFrom(0, 8), fc.constantFrom(0x08, 0x09, 0x0b, 0x0d, 0x00, 0xff), fc.integer({ min: 0, max: 6 })),
    dims: fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom(0xffffffff, 0x80000000, 1 << 20)), { maxLength: 6 }),
    data: fc.integer({ min: 0, max: 4000 }),
    gzip: fc.boolean(),
  });

  it('reads or refuses (DatasetError) IDX files with generated headers, plain and gzipped', async () => {
    await fc.assert(
      fc.asyncProperty(idxHeader, async (h) => {
        const head = Buffer.alloc(4 + 4 * h.dims.length);
        head.set(h.magic);
        h.dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
        const plain = Buffer.concat([head, Buffer.from(ramp(h.data))]);
        await checkIdx(h.gzip)(h.gzip ? gzipSync(plain) : plain);
      }),
      { numRuns: RUNS.idx / 2, seed: SEED },
    );
  });

  it('reads or refuses (DatasetError) mutated IDX files, plain and gzipped', async () => {
    const plain = idxBytes(ramp(5 * 7 * 7), [5, 7, 7]);
    await fc.assert(fc.asyncProperty(mutated(plain, 4, 32), checkIdx(false)), { numRuns: RUNS.idx / 4, seed: SEED });
    const gz = idxBytes(ramp(5 * 7 * 7), [5, 7, 7], true);
    await fc.assert(fc.asyncProperty(mutated(gz, 3, 32), checkIdx(true)), { numRuns: RUNS.idx / 4, seed: SEED });
  });
});

describe('fuzzing the image decoder (sharp/libvips under the folder reader)', () => {
  const seen = outcomes();
  afterAll(() => console.log(`image decoder: ${seen.parsed} decoded, ${seen.refused} refused`));

  it('decodes or rejects mutated PNG and JPEG files, without crashing the process or hanging', async () => {
    const [gray, rgb, photo] = await Promise.all([png(9, 7, 1, 1), png(6, 5, 3, 2), jpeg(16, 16, 3)]);
    for (const base of [gray, rgb, photo]) {
      await fc.assert(
        fc.asyncProperty(mutated(base, 4, 64), async (bytes) => {
          try {
            const image = await within(TIME_BOUND_MS, 'decoding', decodeImage(bytes));
            expect(image.pixels.length).toBe(image.width * image.height * image.channels);
            seen.parsed++;
          } catch (e) {
            // sharp's own errors and ours: an Error with a message, never a crash or a hang.
            expect(e).toBeInstanceOf(Error);
            expect((e as Error).message).not.toMatch(/took longer/);
            seen.refused++;
          }
        }),
        { numRuns: RUNS.images / 3, seed: SEED },
      );
    }
  });
});

/** Every path under `root`, relative to it. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true }).catch(() => []);
  return entries.map((e) => relative(root, join(root, e))).sort();
}

describe('fuzzing the archive unpacker (dataset import)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let n = 0;
  const seen = outcomes();
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(async () => {
    console.log(`archive import: ${seen.parsed} imported, ${seen.refused} refused with DatasetImportError`);
    await cleanup();
  });

  /** Imports `bytes` into a fresh folder in a sandbox; only the blob and that folder may exist in the sandbox afterwards. */
  const checkImport = async (bytes: Uint8Array) => {
    const sandbox = join(dir, `s${n++}`);
    await mkdir(sandbox);
    const blob = join(sandbox, 'blob');
    await writeFile(blob, bytes);
    const target = join(sandbox, 'dataset');
    const r = await onlyTyped([DatasetImportError], () => within(TIME_BOUND_MS * 3, 'importing the archive', importDataset(blob, target)));
    seen[r]++;
    const outside = (await tree(sandbox)).filter((p) => p !== 'blob' && p !== 'dataset' && !p.startsWith(`dataset/`));
    expect(outside).toEqual([]);
    if (r === 'refused') expect(await tree(sandbox)).toEqual(['blob']);
    await rm(sandbox, { recursive: true, force: true });
  };

  let zip: Buffer;
  let tar: Buffer;
  let tgz: Buffer;
  beforeAll(async () => {
    const [a, b, c] = await Promise.all([png(6, 6, 1, 1), png(6, 6, 3, 2), jpeg(8, 8, 3)]);
    const items = [
      { name: 'cats/a.png', data: a },
      { name: 'dogs/b.png', data: b },
      { name: 'dogs/c.jpg', data: c },
    ];
    [zip, tar, tgz] = await Promise.all([zipBytes(items), tarBytes(items, false), tarBytes(items, true)]);
  });

  it('imports or refuses (DatasetImportError) mutated zip archives, writing nothing outside the dataset folder', async () => {
    await fc.assert(fc.asyncProperty(mutated(zip, 3, zip.length), checkImport), { numRuns: RUNS.archives, seed: SEED });
  });

  it('imports or refuses (DatasetImportError) mutated tar and tar.gz archives, writing nothing outside the dataset folder', async () => {
    await fc.assert(fc.asyncProperty(mutated(tar, 3, 1024), checkImport), { numRuns: RUNS.archives / 2, seed: SEED });
    await fc.assert(fc.asyncProperty(mutated(tgz, 3, tgz.length), checkImport), { numRuns: RUNS.archives / 2, seed: SEED });
  });

  const segment = fc.constantFrom('..', '.', '', 'cls', 'a', '.hidden', '__MACOSX', 'x.png', 'y.JPG', 'C:', 'a\\b', 'ok.png', '\u00e9.png');
  const entry = fc.record({
    name: fc.oneof(fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')), fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `/${s.join('/')}`)),
    type: fc.constantFrom('file' as const, 'file' as const, 'symlink' as const, 'link' as const, 'directory' as const),
    linkname: fc.constantFrom('../../outside', '/tmp', 'cls', '../x.png'),
    image: fc.boolean(),
  });

  it('imports or refuses tar archives of generated entry names (.., absolute, hidden, links) and never writes outside', async () => {
    const image = await png(4, 4, 1, 9);
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 6 }), fc.boolean(), async (entries, gzip) => {
        const items = entries.map((e) => (e.type === 'file' ? { name: e.name, data: e.image ? image : Buffer.from('not an image') } : { name: e.name, type: e.type, linkname: e.linkname }));
        await checkImport(await tarBytes(items, gzip));
      }),
      { numRuns: RUNS.archiveNames, seed: SEED },
    );
    expect(seen.parsed).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});
