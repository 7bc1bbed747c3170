// The spot check's Web Worker: loads the ODIN graph into onnxruntime-web (WebGPU when an adapter exists, else WASM)
// and scores one image at a time, so the page stays responsive. Images never leave it.
import { compileOdin, convertChannels, createOrtSession, inputDims, ODIN_IO, parseInputSpec, readModel, resizeBilinear, toModelInput, writeModel } from '@odin/engine';
import type { InputSpec, OdinSession } from '@odin/engine';
import type * as Ort from 'onnxruntime-web';
import { decodeImageFile } from './decode';
import type { FromWorker, GraphSource, SpotBackend, ToWorker } from './protocol';

const scope = self as unknown as { postMessage(m: FromWorker, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<ToWorker>) => void) | null };
let ready: Promise<{ session: OdinSession; spec: InputSpec }> | undefined;

/** onnxruntime-web from the app's own /ort/ route, unbundled: it loads its .mjs and .wasm from the same place. */
async function loadOrt(threads: number): Promise<typeof Ort> {
  const base = new URL('/ort/', self.location.origin).href;
  const ort = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ `${base}ort.webgpu.min.mjs`)) as typeof Ort;
  ort.env.wasm.wasmPaths = base;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  return ort;
}

async function fetchBytes(url: string, what: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) {
    const body = await response.json().catch(() => ({}) as { error?: string });
    throw new Error(`${what}: the server answered ${response.status}${body.error ? ` (${body.error})` : ''}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

async function graphBytes(source: GraphSource): Promise<Uint8Array> {
  if (source.kind === 'server') return fetchBytes(source.url, 'the compiled ODIN graph');
  const model = readModel(await fetchBytes(source.url, 'the model'));
  return writeModel(compileOdin(model, { input: source.input, mean: source.mean, std: source.std, inputSize: source.inputSize }).model);
}

async function sha256(bytes: Uint8Array): Promise<string | undefined> {
  // crypto.subtle exists only in secure contexts (https or localhost).
  if (!crypto.subtle) return undefined;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function hasWebGpuAdapter(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  return Boolean(gpu && (await gpu.requestAdapter().catch(() => null)));
}

function feeds(spec: InputSpec, image: Float32Array, temperature: number, epsilon: number) {
  return {
    [ODIN_IO.inputs.image]: { data: image, dims: inputDims(spec, 1) },
    [ODIN_IO.inputs.temperature]: { data: Float32Array.of(temperature), dims: [1] },
    [ODIN_IO.inputs.epsilon]: { data: Float32Array.of(epsilon), dims: [1] },
  };
}

async function load(message: Extract<ToWorker, { type: 'load' }>) {
  const threads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  const [ort, bytes, webgpu] = await Promise.all([loadOrt(threads), graphBytes(message.graph), message.allowWebGpu ? hasWebGpuAdapter() : false]);
  const imageInput = readModel(bytes).graph.inputs.find((v) => v.name === ODIN_IO.inputs.image);
  if (!imageInput?.shape) throw new Error('the graph has no ODIN image input: it is not a compiled ODIN graph');
  const spec = parseInputSpec(imageInput.shape, message.layout);
  let backend: SpotBackend = webgpu ? 'webgpu' : 'wasm';
  let fallback: string | undefined = webgpu ? undefined : 'this browser offers no WebGPU adapter';
  let session: OdinSession;
  try {
    session = await createOrtSession(ort, bytes, { backend, threads }, [backend]);
  } catch (e) {
    if (backend === 'wasm') throw e;
    fallback = `WebGPU failed (${(e as Error).message})`;
    backend = 'wasm';
    session = await createOrtSession(ort, bytes, { backend, threads }, [backend]);
  }
  // Warm-up: the first run compiles kernels (and shaders on WebGPU); the figures shown exclude it.
  const started = performance.now();
  await session.run(feeds(spec, new Float32Array(spec.channels * spec.height * spec.width), 1000, 0.0014));
  const warmupMs = performance.now() - started;
  scope.postMessage({ type: 'loaded', backend, spec, threads, graphSha256: await sha256(bytes), fallback, warmupMs });
  return { session, spec };
}

async function score(message: Extract<ToWorker, { type: 'score' }>, loaded: { session: OdinSession; spec: InputSpec }) {
  const { session, spec } = loaded;
  const image = await decodeImageFile(message.file, (message.file as File).name ?? message.id);
  const started = performance.now();
  const input = toModelInput([image], spec);
  const out = await session.run(feeds(spec, input, message.temperature, message.epsilon), [ODIN_IO.outputs.msp, ODIN_IO.outputs.odin, ODIN_IO.outputs.prediction]);
  const ms = performance.now() - started;
  const view = resizeBilinear(convertChannels(image, spec.channels), spec.height, spec.width);
  scope.postMessage(
    {
      type: 'scored',
      id: message.id,
      view,
      msp: (out.msp.data as Float32Array)[0],
      odin: (out.odin.data as Float32Array)[0],
      prediction: Number((out.prediction.data as BigInt64Array)[0]),
      ms,
    },
    [view.pixels.buffer],
  );
}

// Messages are handled one at a time, in order: onnxruntime-web sessions take one run at a time.
let queue: Promise<void> = Promise.resolve();
scope.onmessage = ({ data }) => {
  queue = queue.then(async () => {
    if (data.type === 'load') {
      ready = load(data);
      await ready.catch((e: Error) => scope.postMessage({ type: 'load-failed', message: e.message }));
      return;
    }
    try {
      if (!ready) throw new Error('no model is loaded');
      await score(data, await ready);
    } catch (e) {
      scope.postMessage({ type: 'score-failed', id: data.id, message: (e as Error).message });
    }
  });
};
