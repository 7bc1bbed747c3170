// NumPy .npy image arrays (uint8 or float32, little-endian, C order): header parsing and chunked reading.
import { open } from 'node:fs/promises';
import type { Dataset, Image } from '../preprocess/types.ts';
import { bytesToUnit, checkImageSize, chwToHwc, makeDataset } from './dataset.ts';
import { DatasetError } from './errors.ts';
import { readRecords, type DecodeRecord } from './records.ts';

/** What an .npy header says, plus where the data starts. */
export interface NpyHeader {
  dtype: 'uint8' | 'float32';
  shape: number[];
  dataOffset: number;
}

const MAGIC = '\x93NUMPY';

/** Parses the header of an .npy file from its first bytes; throws an Error naming `file` if it is not a supported array. */
export function parseNpyHeader(head: Uint8Array, file: string): NpyHeader {
  const text = (a: number, b: number) => String.fromCharCode(...head.subarray(a, b));
  if (head.length < 10 || text(0, 6) !== MAGIC) throw new DatasetError(`${file}: not an .npy file (bad magic).`);
  const major = head[6];
  const v1 = major === 1;
  if (!v1 && major !== 2 && major !== 3) throw new DatasetError(`${file}: unsupported .npy format version ${major}.${head[7]}.`);
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const pre = v1 ? 10 : 12;
  if (head.length < pre) throw new DatasetError(`${file}: truncated .npy header.`);
  const len = v1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (head.length < pre + len) throw new DatasetError(`${file}: truncated .npy header.`);
  const dict = new TextDecoder().decode(head.subarray(pre, pre + len));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(dict)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(dict)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(dict)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new DatasetError(`${file}: malformed .npy header ${JSON.stringify(dict.trim())}.`);
  let dtype: NpyHeader['dtype'];
  if (descr === '|u1' || descr === '<u1' || descr === 'u1') dtype = 'uint8';
  else if (descr === '<f4') dtype = 'float32';
  else throw new DatasetError(`${file}: unsupported dtype '${descr}'; expected uint8 ('|u1') or little-endian float32 ('<f4').`);
  if (fortran === 'True') throw new DatasetError(`${file}: Fortran-order arrays are not supported; save with np.ascontiguousarray.`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => Number(s.replace(/L$/, '')));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new DatasetError(`${file}: malformed shape (${shapeText}).`);
  return { dtype, shape, dataOffset: pre + len };
}

/** Image geometry of an .npy shape: NCHW if 4-D with dim 1 ∈ {1,3}, NHWC if 4-D otherwise, [N,H,W] grayscale if 3-D. */
function geometry(shape: number[], file: string): { n: number; height: number; width: number; channels: 1 | 3; planar: boolean } {
  const bad = (why: string) => new DatasetError(`${file}: unsupported array shape (${shape.join(', ')}): ${why}`);
  if (shape.length === 3) return { n: shape[0], height: shape[1], width: shape[2], channels: 1, planar: false };
  if (shape.length !== 4) throw bad('expected [N,H,W], [N,C,H,W] or [N,H,W,C].');
  const [n, a, b, c] = shape;
  if (a === 1 || a === 3) return { n, channels: a, height: b, width: c, planar: true };
  if (c === 1 || c === 3) return { n, channels: c, height: a, width: b, planar: false };
  throw bad('4-D arrays need 1 or 3 channels at dimension 1 (NCHW) or 3 (NHWC).');
}

function floatsInUnit(bytes: Uint8Array): Float32Array | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  let lo = Infinity;
  let hi = -Infinity;
  let nan = false;
  for (let i = 0; i < out.length; i++) {
    const v = view.getFloat32(4 * i, true);
    out[i] = v;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    if (v !== v) nan = true;
  }
  if (nan) return 'float32 values contain NaN';
  if (lo < 0 || hi > 1) return `float32 values outside [0,1] (min ${lo}, max ${hi}); store images scaled to [0,1]`;
  return out;
}

/**
 * Opens an .npy image array. uint8 is scaled by 1/255; float32 is taken as already on [0,1]
 * (an image with NaN or values outside [0,1] is reported as skipped, not clamped). Reads in chunks;
 * images missing from a truncated file are reported as skipped.
 */
export async function openNpy(path: string, name: string): Promise<Dataset> {
  const fh = await open(path, 'r');
  let header: NpyHeader;
  try {
    const pre = new Uint8Array(12);
    const first = await fh.read(pre, 0, 12, 0);
    const view = new DataView(pre.buffer);
    const total = first.bytesRead < 12 ? 12 : pre[6] === 1 ? 10 + view.getUint16(8, true) : 12 + view.getUint32(8, true);
    const head = new Uint8Array(Math.min(total, 1 << 20));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    header = parseNpyHeader(head.subarray(0, bytesRead), path);
  } finally {
    await fh.close();
  }
  const { n, height, width, channels, planar } = geometry(header.shape, path);
  checkImageSize(path, height, width);
  const itemSize = header.dtype === 'uint8' ? 1 : 4;
  const recordSize = height * width * channels * itemSize;
  const file = { path, header: header.dataOffset, count: n };
  const decode: DecodeRecord = (bytes, _f, _i, id) => {
    const unit = header.dtype === 'uint8' ? bytesToUnit(bytes) : floatsInUnit(bytes);
    if (typeof unit === 'string') return { id, skip: unit };
    const pixels = planar ? chwToHwc(unit, channels, height * width) : unit;
    const image: Image = { width, height, channels, pixels };
    return { id, image };
  };
  return makeDataset({
    name,
    size: n,
    items: (start, chunk) => readRecords([file], { recordSize, decode }, start, chunk),
  });
}
