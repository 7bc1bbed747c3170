// The runtime contract: one small interface over onnxruntime sessions, shared by the Node and web adapters.
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** Where a graph runs: onnxruntime-node offers cpu, cuda and webgpu; onnxruntime-web offers wasm and webgpu. */
export type Backend = 'cpu' | 'cuda' | 'webgpu' | 'wasm';

/** A host-side tensor: float32, int64 or bool data with its dims. */
export interface HostTensor {
  data: Float32Array | BigInt64Array | Uint8Array | Int32Array;
  dims: readonly number[];
}

export interface SessionOptions {
  backend: Backend;
  /** Intra-op threads (CPU and WASM). Defaults to onnxruntime's choice. */
  threads?: number;
  /**
   * Idle intra-op threads spin between nodes instead of sleeping (CPU only; onnxruntime's own default). Faster when
   * the run has the cores to itself, slower when other processes want them (docs/benchmarks.md); off by default.
   */
  spin?: boolean;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface OdinSession {
  readonly backend: Backend;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, HostTensor>, outputs?: string[]): Promise<Record<string, HostTensor>>;
  release(): Promise<void>;
}

export interface Runtime {
  /** The backends this runtime can offer on this machine. */
  readonly backends: readonly Backend[];
  createSession(model: Uint8Array, options: SessionOptions): Promise<OdinSession>;
}

/** A backend that is not available here; the message says how to get it. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: 'float32' | 'int64' | 'bool' | 'int32', data: HostTensor['data'], dims: readonly number[]) => Tensor;
}

const typeOf = (data: HostTensor['data']) =>
  data instanceof Float32Array ? 'float32' : data instanceof BigInt64Array ? 'int64' : data instanceof Int32Array ? 'int32' : 'bool';

/** Wraps an onnxruntime module (node or web: both implement onnxruntime-common) as an OdinSession. */
export async function createOrtSession(
  ort: OrtModule,
  model: Uint8Array,
  options: SessionOptions,
  executionProviders: InferenceSession.SessionOptions['executionProviders'],
): Promise<OdinSession> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders,
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    // Errors only: the provider's notes on shape ops kept on the CPU are expected, not a user's concern.
    logSeverityLevel: 3,
    ...(options.threads ? { intraOpNumThreads: options.threads, interOpNumThreads: 1 } : {}),
    // Unless asked to spin, idle intra-op threads sleep. A gradient graph has hundreds of small nodes, and on a
    // shared few-core machine spinning threads steal the cores the work needs.
    extra: { session: { intra_op: { allow_spinning: options.spin ? '1' : '0' } } },
  });
  return {
    backend: options.backend,
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds, outputs) {
      const ortFeeds: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(typeOf(t.data), t.data, t.dims);
      const result = outputs ? await session.run(ortFeeds, outputs) : await session.run(ortFeeds);
      const out: Record<string, HostTensor> = {};
      for (const [name, t] of Object.entries(result)) {
        const data = t.location === 'cpu' || t.location === undefined ? t.data : await t.getData();
        out[name] = { data: data as HostTensor['data'], dims: t.dims };
        if (t.location && t.location !== 'cpu') t.dispose();
      }
      return out;
    },
    release: () => session.release(),
  };
}
