// onnxruntime-node adapter: cpu, cuda (when its CUDA libraries are installed) and the bundled webgpu provider.
import * as ort from 'onnxruntime-node';
import { BackendUnavailableError, createOrtSession } from './session.ts';
import type { Backend, OdinSession, Runtime, SessionOptions } from './session.ts';

const HOW_TO_INSTALL: Partial<Record<Backend, string>> = {
  cuda: 'install the CUDA 12 build of onnxruntime-node: `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node` (needs CUDA 12 and cuDNN 9 on the machine)',
  webgpu: 'onnxruntime-node bundles a WebGPU provider that needs a Vulkan driver; on a machine without a GPU, point VK_ICD_FILENAMES at a software driver such as Chromium\'s SwiftShader (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium after `apt-get install chromium`, or install libvulkan1)',
  wasm: 'the wasm backend belongs to onnxruntime-web; use the web runtime (`@odin/engine/web`)',
};

function available(): Backend[] {
  const listed = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
  return listed.filter((b) => b.bundled && ['cpu', 'cuda', 'webgpu'].includes(b.name)).map((b) => b.name as Backend);
}

export const nodeRuntime: Runtime = {
  get backends() {
    return available();
  },
  async createSession(model: Uint8Array, options: SessionOptions): Promise<OdinSession> {
    const { backend } = options;
    if (!available().includes(backend))
      throw new BackendUnavailableError(`backend "${backend}" is not available in onnxruntime-node here: ${HOW_TO_INSTALL[backend] ?? 'unknown backend'}`);
    try {
      return await createOrtSession(ort, model, options, [backend]);
    } catch (e) {
      const msg = (e as Error).message;
      if (backend !== 'cpu' && /provider|adapter|vulkan|cuda|webgpu|dawn|device/i.test(msg))
        throw new BackendUnavailableError(`backend "${backend}" failed to start (${msg}); ${HOW_TO_INSTALL[backend]}`);
      throw e;
    }
  },
};
