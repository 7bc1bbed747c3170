// Seeded, platform-independent pseudo-random numbers: mulberry32 streams, per-item seeds, Gaussians, shuffles.

/** A source of uniform numbers on [0, 1). */
export type Rng = () => number;

/** Seed used by generated and shuffled datasets when none is given. */
export const DEFAULT_SEED = 0;

/** murmur3's 32-bit finaliser: a bijective avalanche mix of a uint32. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * mulberry32: a tiny 32-bit-state generator. Returns multiples of 2⁻³² on [0, 1).
 * Integer-only arithmetic, so every JS engine produces the same sequence.
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Independent stream for item `index` of a set seeded with `seed`, so item i is the same
 * whatever position or batch size a reader starts from.
 */
export function itemRng(seed: number, index: number): Rng {
  const hi = Math.floor(index / 4294967296) >>> 0;
  return mulberry32(fmix32(fmix32((seed >>> 0) ^ 0x9e3779b9) ^ fmix32((index >>> 0) + Math.imul(hi, 0x27d4eb2f))));
}

/**
 * Standard normal draws from `rng` (Marsaglia's polar method).
 * NOTE: uses Math.log and Math.sqrt; ECMAScript does not pin Math.log to the last bit, so Gaussian
 * values are bit-reproducible on one engine (V8 for Node and Chrome) but may differ by an ulp elsewhere.
 */
export function normal(rng: Rng): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    for (;;) {
      const u = 2 * rng() - 1;
      const v = 2 * rng() - 1;
      const r = u * u + v * v;
      if (r > 0 && r < 1) {
        const f = Math.sqrt((-2 * Math.log(r)) / r);
        spare = v * f;
        return u * f;
      }
    }
  };
}

/** A seeded Fisher–Yates permutation of `0..n-1`. */
export function permutation(n: number, seed: number = DEFAULT_SEED): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rng = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
