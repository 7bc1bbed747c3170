// Browser-safe preprocessing: image/dataset contracts, model-input conversion, seeded randomness, noise images.
export type { BatchOptions, Dataset, Image, ImageShape, InputSpec, Layout, Sample, SkipReport } from './types.ts';
export { toModelInput, type FitMode } from './model-input.ts';
export { parseInputSpec } from './input-spec.ts';
export { convertChannels, LUMA_601 } from './color.ts';
export { centreCrop, resizeBilinear } from './resize.ts';
export { DEFAULT_SEED, itemRng, mulberry32, normal, permutation, type Rng } from './random.ts';
export { noiseImage, type NoiseKind } from './synthetic.ts';
