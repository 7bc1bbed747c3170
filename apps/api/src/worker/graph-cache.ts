// Compiled ODIN graphs on disk, keyed by model hash, input size and compile settings: shared by every run and worker of a machine.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ODIN_IO, compileOdin, parseInputSpec, providerFor, readModel, writeModel, type Backend, type InputSpec } from '@odin/engine';

export interface GraphSettings {
  /** sha256 of the source model. */
  modelSha256: string;
  inputSize: number[];
  mean: number[];
  std: number[];
  input: string;
  /** The backend it will run on: onnxruntime's CPU gets its own formulation of some gradients (compileOdin's provider). */
  backend: Backend;
}

export interface CompiledGraph {
  key: string;
  bytes: Uint8Array;
  spec: InputSpec;
  /** The graph takes one image (and one ε) at a time: scoreDataset's `oneAtATime`, where the engine has it. */
  oneAtATime: boolean;
}

interface Sidecar {
  spec: InputSpec;
  oneAtATime: boolean;
}

/** Bump when compileOdin's output changes, so no machine keeps using graphs of the old compiler. */
const FORMAT = 2;

/** NOTE: the key does not hash the compiler itself: after changing compileOdin, bump FORMAT or clear the cache folder. */
export function graphKey(s: GraphSettings): string {
  const parts = [FORMAT, s.modelSha256, s.inputSize.join('x'), s.mean.join(','), s.std.join(','), s.input, providerFor(s.backend)];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

export class GraphCache {
  private readonly inFlight = new Map<string, Promise<CompiledGraph>>();

  constructor(
    readonly dir: string,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** The compiled graph for `settings`, from disk when there, else compiled from `source()` and written atomically. */
  get(settings: GraphSettings, source: () => Promise<Uint8Array>): Promise<CompiledGraph> {
    const key = graphKey(settings);
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.load(key, settings, source);
      this.inFlight.set(key, p);
      // Only the promise is shared within the process; the bytes stay on disk.
      void p.finally(() => this.inFlight.delete(key)).catch(() => {});
    }
    return p;
  }

  private async load(key: string, settings: GraphSettings, source: () => Promise<Uint8Array>): Promise<CompiledGraph> {
    const graphPath = join(this.dir, `${key}.onnx`);
    const specPath = join(this.dir, `${key}.json`);
    try {
      const [bytes, sidecar] = await Promise.all([readFile(graphPath), readFile(specPath, 'utf8')]);
      return { key, bytes: new Uint8Array(bytes), ...(JSON.parse(sidecar) as Sidecar) };
    } catch {
      // Not cached yet (or half-written by a process that died before its renames): compile.
    }
    const model = readModel(await source());
    // The same options evaluate() passes, so a shard's scores equal a single evaluate() call's. (Spread: engines
    // without the inputSize option ignore it.)
    const { model: compiled, report } = compileOdin(model, {
      mean: settings.mean,
      std: settings.std,
      input: settings.input,
      provider: providerFor(settings.backend),
      ...{ inputSize: settings.inputSize },
    });
    const oneAtATime = (report as { batch?: { mode?: string } }).batch?.mode === 'fixed';
    const imageInput = compiled.graph.inputs.find((v) => v.name === ODIN_IO.inputs.image)!;
    const spec = parseInputSpec(imageInput.shape!, model.metadata.get('odin:layout'));
    const bytes = writeModel(compiled);
    this.log(`worker: compiled the ODIN graph ${key.slice(0, 12)} into ${this.dir}`);
    await mkdir(this.dir, { recursive: true });
    // The spec first: a reader trusts the pair once the graph is there.
    for (const [path, data] of [[specPath, JSON.stringify({ spec, oneAtATime } satisfies Sidecar)], [graphPath, bytes]] as const) {
      const tmp = `${path}.${randomUUID()}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, path);
    }
    return { key, bytes, spec, oneAtATime };
  }
}
