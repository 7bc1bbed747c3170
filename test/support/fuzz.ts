// Fuzzing helpers: fast-check arbitraries that mutate a valid file's bytes, and the checks every fuzzed call must pass.
import fc from 'fast-check';

/** One edit of a byte string; positions are taken modulo the current length. */
type Mutation =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; at: number; length: number; to: number }
  | { kind: 'extreme'; at: number; value: number };

/** Values that break length and size fields: 0, all ones, the top bit, around 2^31 and 2^32. */
const EXTREME_U32 = [0, 0xffffffff, 0x80000000, 0x7fffffff, 0x40000000, 1];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 256 }), to: fc.nat() }),
  fc.record({ kind: fc.constant('extreme' as const), at: fc.nat(), value: fc.constantFrom(...EXTREME_U32) }),
);

function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
  const n = bytes.length;
  const at = n === 0 ? 0 : m.at % n;
  switch (m.kind) {
    case 'set': {
      const out = Uint8Array.from(bytes);
      if (n > 0) out[at] = m.value;
      return out;
    }
    case 'flip': {
      const out = Uint8Array.from(bytes);
      if (n > 0) out[at] ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, at);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    case 'duplicate': {
      const to = n === 0 ? 0 : m.to % n;
      return Buffer.concat([bytes.subarray(0, to), bytes.subarray(at, at + m.length), bytes.subarray(to)]);
    }
    case 'extreme': {
      const out = Uint8Array.from(bytes);
      const view = new DataView(out.buffer);
      if (at + 4 <= n) view.setUint32(at, m.value, at % 2 === 0);
      return out;
    }
  }
}

/** `base` with 1–`max` random edits; edits near the start (headers) are as likely as anywhere. */
export function mutated(base: Uint8Array, max = 4, headerBytes = 128): fc.Arbitrary<Uint8Array> {
  const near = (m: Mutation): Mutation => ({ ...m, at: m.at % Math.max(1, Math.min(headerBytes, base.length)) });
  return fc.array(fc.tuple(mutation, fc.boolean()), { minLength: 1, maxLength: max }).map((ms) => ms.reduce((b, [m, head]) => apply(b, head ? near(m) : m), base));
}

/** Bytes the ArrayBuffers of this process hold beyond `baseline`: a reader that allocates what a header claims shows here before any GC. */
export function bufferGrowth(baseline: number): number {
  return process.memoryUsage().arrayBuffers - baseline;
}

/** Resolves with `promise`, or rejects when it takes longer than `ms` (a hang). */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms (a hang?)`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `fn`; a thrown error must be an instance of one of `allowed`, anything else is rethrown with the input's size. */
export async function onlyTyped(allowed: (new (...args: never[]) => Error)[], fn: () => Promise<unknown> | unknown): Promise<'parsed' | 'refused'> {
  try {
    await fn();
    return 'parsed';
  } catch (e) {
    if (allowed.some((k) => e instanceof k)) return 'refused';
    throw e;
  }
}
