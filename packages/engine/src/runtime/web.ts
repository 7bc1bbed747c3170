// onnxruntime-web adapter: wasm everywhere, webgpu where the browser offers navigator.gpu.
import * as ort from 'onnxruntime-web';
import { BackendUnavailableError, createOrtSession } from './session.ts';
import type { Backend, OdinSession, Runtime, SessionOptions } from './session.ts';

function hasWebGpu(): boolean {
  return typeof navigator !== 'undefined' && 'gpu' in navigator;
}

export const webRuntime: Runtime = {
  get backends(): Backend[] {
    return hasWebGpu() ? ['wasm', 'webgpu'] : ['wasm'];
  },
  async createSession(model: Uint8Array, options: SessionOptions): Promise<OdinSession> {
    const { backend } = options;
    if (backend === 'webgpu' && !hasWebGpu())
      throw new BackendUnavailableError('backend "webgpu" needs a browser with WebGPU (navigator.gpu); use "wasm" here');
    if (backend !== 'wasm' && backend !== 'webgpu')
      throw new BackendUnavailableError(`backend "${backend}" belongs to onnxruntime-node; onnxruntime-web offers wasm and webgpu`);
    if (options.threads) ort.env.wasm.numThreads = options.threads;
    return createOrtSession(ort, model, options, [backend]);
  },
};

export * from './session.ts';
