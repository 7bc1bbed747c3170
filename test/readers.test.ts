// The reader bugs the fuzzing and bad-input suites found, one test each: every one of these crashed with a foreign
// error, allocated what a lying header claimed, or never finished before its fix.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create, toBinary } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeProto_AttributeType, ModelProtoSchema, NodeProtoSchema, TensorProtoSchema, TensorProto_DataLocation, TensorProto_DataType } from 'onnx-buf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFormatError, readModel } from '@odin/engine';
import { DatasetError, openImageFolder, openIdx, openNpy } from '@odin/engine/node';
import { idxBytes, npyBytes, png, ramp, tempDir } from '@odin/api/datasets/test-fixtures';
import sharp from 'sharp';
import { goodSmallModel } from './support/bad-models.ts';
import { bufferGrowth, within } from './support/fuzz.ts';

const MB = 1024 * 1024;

/** The small classifier with its weight `w` replaced, or a Constant node added in front. */
function withTensor(tensor: Parameters<typeof create<typeof TensorProtoSchema>>[1], opts: { asAttribute?: boolean; noValue?: boolean } = {}): Uint8Array {
  const source = readModel(goodSmallModel()).proto!;
  const proto = create(TensorProtoSchema, { name: 'w', ...tensor });
  const graph = { ...source.graph! };
  if (opts.asAttribute) {
    const value = create(AttributeProtoSchema, { name: 'value', type: AttributeProto_AttributeType.TENSOR, t: opts.noValue ? undefined : proto });
    graph.node = [create(NodeProtoSchema, { opType: 'Constant', output: ['c'], attribute: [value] }), ...graph.node];
  } else graph.initializer = graph.initializer.map((i) => (i.name === 'w' ? proto : i));
  return toBinary(ModelProtoSchema, create(ModelProtoSchema, { ...source, graph }));
}

/** Reads the model and decodes every weight, as compiling it does. */
function readFully(bytes: Uint8Array): void {
  for (const init of readModel(bytes).graph.initializers.values()) void init.tensor;
}

describe('ONNX reader', () => {
  it('refuses a weight declaring 2 GiB in a 16-byte field when reading, before allocating it', () => {
    const bytes = withTensor({ dataType: TensorProto_DataType.FLOAT, dims: [1n << 29n], rawData: new Uint8Array(16) });
    expect(bytes.length).toBeLessThan(64 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => readModel(bytes)).toThrow(ModelFormatError);
    expect(() => readModel(bytes)).toThrow(/initializer "w" declares \[536870912\] float32 \(2 GiB\), 2147483648 bytes, but holds 16 bytes/);
    expect(bufferGrowth(before)).toBeLessThan(64 * MB);
  });

  it('refuses the same in a Constant node, and a typed field with fewer values than declared', () => {
    const before = process.memoryUsage().arrayBuffers;
    expect(() => readModel(withTensor({ dataType: TensorProto_DataType.FLOAT, dims: [1n << 29n], floatData: [1, 2] }, { asAttribute: true }))).toThrow(/declares \[536870912\] float32 \(2 GiB\), 536870912 values, but holds 2/);
    expect(bufferGrowth(before)).toBeLessThan(64 * MB);
  });

  it('refuses negative and astronomically large dimensions', () => {
    expect(() => readModel(withTensor({ dataType: TensorProto_DataType.FLOAT, dims: [-3n], rawData: new Uint8Array(12) }))).toThrow(/dimensions \[-3\]; dimensions must be non-negative integers/);
    expect(() => readModel(withTensor({ dataType: TensorProto_DataType.FLOAT, dims: [1n << 40n, 1n << 40n], rawData: new Uint8Array(4) }))).toThrow(ModelFormatError);
  });

  it('refuses an empty tensor that carries raw bytes (it was a RangeError)', () => {
    expect(() => readModel(withTensor({ dataType: TensorProto_DataType.FLOAT, dims: [0n], rawData: new Uint8Array(1) }))).toThrow(/declares \[0\] float32, 0 bytes, but holds 1 bytes/);
  });

  it('refuses a tensor attribute that holds no tensor (it was a TypeError)', () => {
    expect(() => readModel(withTensor({}, { asAttribute: true, noValue: true }))).toThrow(/attribute "value" is declared a tensor but holds none/);
  });

  it('refuses external data when reading and undecodable data types when decoding, as ModelFormatError', () => {
    expect(() => readModel(withTensor({ dataType: TensorProto_DataType.FLOAT, dims: [4n], dataLocation: TensorProto_DataLocation.EXTERNAL }))).toThrow(/uses external data/);
    const bfloat = withTensor({ dataType: TensorProto_DataType.BFLOAT16, dims: [2n], rawData: new Uint8Array(4) });
    expect(() => readFully(bfloat)).toThrow(ModelFormatError);
    expect(() => readFully(bfloat)).toThrow(/ONNX data type 16 \(other\), which cannot be decoded/);
  });
});

describe('dataset readers (.npy, IDX, image folders)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempDir()));
  afterAll(() => cleanup());

  const drain = async (ds: { batches: (o: { batchSize: number; onSkip: () => void }) => AsyncIterable<unknown[]> }) => {
    let skips = 0;
    for await (const _ of ds.batches({ batchSize: 256, onSkip: () => skips++ })) {
      // Counting.
    }
    return skips;
  };

  it('throws DatasetError, not a bare Error, for a bad magic number, dtype or shape', async () => {
    const cases: [string, Uint8Array, RegExp][] = [
      ['magic.npy', Buffer.from('not numpy at all'), /not an \.npy file/],
      ['dtype.npy', npyBytes(new Uint8Array(16), [1, 2, 2]).fill(0x38, 22, 23), /unsupported dtype/],
      ['shape.npy', npyBytes(new Uint8Array(16), [4, 4]), /unsupported array shape/],
    ];
    for (const [name, bytes, message] of cases) {
      await writeFile(join(dir, name), bytes);
      await expect(openNpy(join(dir, name), name)).rejects.toThrow(DatasetError);
      await expect(openNpy(join(dir, name), name)).rejects.toThrow(message);
    }
    const idx = join(dir, 'magic-images-idx3-ubyte');
    await writeFile(idx, Buffer.concat([Buffer.from([1, 0, 8, 3]), idxBytes(ramp(4), [1, 2, 2]).subarray(4)]));
    await expect(openIdx(idx, 'idx')).rejects.toThrow(DatasetError);
    await expect(openIdx(idx, 'idx')).rejects.toThrow(/not an IDX file \(bad magic\)/);
  });

  it('refuses an .npy whose header declares 10^12 images in a small file, quickly (it listed 10^12 skips)', async () => {
    const lying = npyBytes(ramp(4 * 28 * 28), [4, 28, 28]);
    const path = join(dir, 'lying.npy');
    await writeFile(path, Buffer.from(Buffer.from(lying).toString('latin1').replace("'shape': (4, 28, 28)", "'shape': (1000000000000, 28, 28)").slice(0, lying.length), 'latin1'));
    const ds = await openNpy(path, 'lying');
    expect(ds.size).toBe(1e12);
    await expect(within(10_000, 'reading', drain(ds))).rejects.toThrow(/declares 1,000,000,000,000 records, but the file holds only 4; it is truncated or its header is wrong/);
  });

  it('still reports a few records missing from a truncated file as skips', async () => {
    const bytes = npyBytes(ramp(10 * 4), [10, 2, 2]);
    const path = join(dir, 'short.npy');
    await writeFile(path, bytes.subarray(0, bytes.length - 4 * 3));
    expect(await drain(await openNpy(path, 'short'))).toBe(3);
  });

  it('refuses images larger than 4096×4096 from the header, before allocating one (it allocated 3.6 GB)', async () => {
    const path = join(dir, 'huge.npy');
    await writeFile(path, npyBytes(new Uint8Array(0), [1, 60000, 60000]));
    const before = process.memoryUsage().arrayBuffers;
    await expect(openNpy(path, 'huge')).rejects.toThrow(/images of 60000×60000 pixels are larger than the 16,777,216 pixels allowed/);
    expect(bufferGrowth(before)).toBeLessThan(64 * MB);
  });

  it('refuses IDX images of width 0 (it looped over 4 billion empty images)', async () => {
    const path = join(dir, 'empty-images-idx3-ubyte');
    await writeFile(path, idxBytes(new Uint8Array(0), [0xffffffff, 28, 0]));
    await expect(openIdx(path, 'empty')).rejects.toThrow(/empty images \(28×0\)/);
  });

  it('refuses a gzipped IDX whose header declares far more images than it holds (it built a list of 4 billion skips)', async () => {
    const path = join(dir, 'lying-images-idx3-ubyte.gz');
    const bytes = idxBytes(ramp(3 * 4), [3, 2, 2]);
    bytes.writeUInt32BE(0xffffffff, 4);
    await writeFile(path, gzipSync(bytes));
    await expect(within(10_000, 'reading', drain(await openIdx(path, 'lying')))).rejects.toThrow(/declares 4,294,967,295 records, but the file holds only 3/);
  });

  it('refuses a gzipped labels file that inflates past the labels it should hold (a gzip bomb)', async () => {
    const images = join(dir, 'bomb-images-idx3-ubyte');
    await writeFile(images, idxBytes(ramp(2 * 4), [2, 2, 2]));
    const labels = Buffer.alloc(128 * MB);
    labels.set([0, 0, 8, 1, 0, 0, 0, 2]);
    await writeFile(join(dir, 'bomb-labels-idx1-ubyte.gz'), gzipSync(labels));
    const before = process.memoryUsage().arrayBuffers;
    await expect(openIdx(images, 'bomb')).rejects.toThrow(/bomb-labels-idx1-ubyte\.gz: decompresses to more than the 18 bytes it should hold/);
    expect(bufferGrowth(before)).toBeLessThan(64 * MB);
  });

  it('skips a small PNG declaring 6000×6000 pixels (a pixel flood) from its header, without decoding it (it decoded 144 MB of floats)', async () => {
    const folder = join(dir, 'flood');
    await mkdir(folder);
    const flood = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#000' } }).toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer();
    expect(flood.length).toBeLessThan(MB);
    await writeFile(join(folder, 'flood.png'), flood);
    await writeFile(join(folder, 'ok.png'), await png(4, 4, 1, 0));
    const skips: string[] = [];
    const before = process.memoryUsage().arrayBuffers;
    let samples = 0;
    for await (const batch of (await openImageFolder(folder, 'flood')).batches({ batchSize: 1, onSkip: (s) => skips.push(s.reason) })) samples += batch.length;
    expect(bufferGrowth(before)).toBeLessThan(64 * MB);
    expect(samples).toBe(1);
    expect(skips).toEqual(['cannot decode flood.png: the image is 6000×6000 pixels; at most 16,777,216 are allowed']);
  });
});
