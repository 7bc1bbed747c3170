// Messages between the spot-check page and its Web Worker (lib/spot-check/worker.ts).
import type { InputSpec } from '@odin/engine';

/** The onnxruntime-web provider that ran. */
export type SpotBackend = 'webgpu' | 'wasm';

/** Where the worker gets the ODIN graph: the server's compiled one, or the original model compiled in the browser. */
export type GraphSource =
  | { kind: 'server'; url: string }
  | { kind: 'compile'; url: string; input: string; mean: number[]; std: number[]; inputSize: number[] };

export type ToWorker =
  | { type: 'load'; graph: GraphSource; layout: string; allowWebGpu: boolean }
  | { type: 'score'; id: string; file: Blob; temperature: number; epsilon: number };

/** An image as the model sees it: HWC, [0, 1], at the model's size and channel count. */
export interface ModelView {
  width: number;
  height: number;
  channels: 1 | 3;
  pixels: Float32Array;
}

export type FromWorker =
  | { type: 'loaded'; backend: SpotBackend; spec: InputSpec; threads: number; graphSha256?: string; fallback?: string; warmupMs: number }
  | { type: 'load-failed'; message: string }
  | { type: 'scored'; id: string; view: ModelView; msp: number; odin: number; prediction: number; ms: number }
  | { type: 'score-failed'; id: string; message: string };
