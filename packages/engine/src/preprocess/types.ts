// Shared data contracts: decoded images, samples, streaming datasets and model input specs.

/** A decoded image: HWC interleaved, float32 on [0,1]. `pixels.length === height * width * channels`. */
export interface Image {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Float32Array;
}

/** One item of a dataset. `id` names its source (file name, or file name `#` index) so skips and results can be traced back. */
export interface Sample {
  id: string;
  image: Image;
  /** Class index into {@link Dataset.labels} (or a bare class number when the format has no names). */
  label?: number;
  /** Raw position in its dataset, counting corrupt items. Set by every reader built with makeDataset. */
  index?: number;
}

/** What a dataset reports for an item it could not decode. */
export interface SkipReport {
  id: string;
  reason: string;
}

/** Options for {@link Dataset.batches}. */
export interface BatchOptions {
  /** Raw position to start at (0-based, counting items that will turn out corrupt). Default 0. */
  start?: number;
  /** Raw positions per batch; a positive integer. */
  batchSize: number;
  /** Called once per corrupt item, before the batch that would have held it is yielded. */
  onSkip?: (s: SkipReport) => void;
}

/**
 * A finite, ordered image set that is streamed, never loaded whole.
 *
 * Batch `k` covers raw positions `[start + k·batchSize, start + (k+1)·batchSize)`; corrupt items in
 * that window are reported through `onSkip` and left out, so a batch can be shorter than `batchSize`
 * (a window whose items were all skipped yields an empty batch). Every window yields exactly one batch,
 * so the k-th batch always ends at raw position `start + (k+1)·batchSize` (or the end of the set).
 */
export interface Dataset {
  /** The spec or path exactly as given to the opener. */
  name: string;
  /** Number of raw items, known up front for every format (corrupt ones included). */
  size: number;
  /** Class names when the format has them; `Sample.label` indexes this array. */
  labels?: string[];
  /** Streams samples in a fixed order starting at `start`, in batches of `batchSize`. Never holds the whole set in memory. Corrupt items are reported via onSkip (with file name and reason) and skipped, never thrown. */
  batches(opts: BatchOptions): AsyncIterable<Sample[]>;
}

/** Memory layout of a model's image input. `ND` is `[N, H*W*C]` flattened in HWC order. */
export type Layout = 'NCHW' | 'NHWC' | 'NHW' | 'ND';

/** What one image must become to feed the model: layout, channel count and spatial size. */
export interface InputSpec {
  layout: Layout;
  channels: 1 | 3;
  height: number;
  width: number;
}

/** Image shape used by generated datasets. */
export interface ImageShape {
  height: number;
  width: number;
  channels: 1 | 3;
}
