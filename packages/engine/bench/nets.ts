// The nets every engine benchmark measures: the four built in test/nets.ts and the fixture zoo's torchvision exports.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '../src/graph/ir.ts';
import { readModel, writeModel } from '../src/graph/onnx-io.ts';
import { compileOdin } from '../src/odin/compile.ts';
import type { OdinCompileOptions, OdinCompileReport } from '../src/odin/compile.ts';
import { NET_IO, NETS, denseNetBC, wideResNet } from '../test/nets.ts';

const ZOO = resolve(dirname(fileURLToPath(import.meta.url)), '../test/zoo');
export const SIZE = 32;
const MEAN = [0.4914, 0.4822, 0.4465];
const STD = [0.247, 0.2435, 0.2616];

export interface BenchNet {
  /** `nets/<name>` for test/nets.ts, `zoo/<name>` for test/zoo. */
  name: string;
  source: Model;
  /** The source model's image input. */
  input: string;
  options: OdinCompileOptions;
}

export interface CompiledNet {
  net: BenchNet;
  forward: Uint8Array;
  odin: Uint8Array;
  report: OdinCompileReport;
}

/** Full-size CIFAR nets, built only for the benchmark. */
const CIFAR_NETS = [
  { name: 'wrn-16-4', build: wideResNet },
  { name: 'densenet-bc-40', build: denseNetBC },
];

export function benchNets(only?: string[]): BenchNet[] {
  const built = [...NETS, ...CIFAR_NETS]
    .filter((spec) => !only || only.some((o) => o === spec.name || o === `nets/${spec.name}`))
    .map((spec) => ({ name: `nets/${spec.name}`, source: spec.build({ size: SIZE }), input: NET_IO.input, options: { mean: MEAN, std: STD } }));
  const index = JSON.parse(readFileSync(resolve(ZOO, 'zoo.json'), 'utf8')) as { nets: Record<string, { input: string }> };
  const zoo = Object.entries(index.nets).map(([name, { input }]) => ({
    name: `zoo/${name}`,
    source: readModel(new Uint8Array(readFileSync(resolve(ZOO, `${name}.onnx`)))),
    input,
    options: {},
  }));
  const all = [...built, ...zoo];
  if (!only) return all;
  return all.filter((n) => only.some((o) => n.name === o || n.name.endsWith(`/${o}`)));
}

export function compileNet(net: BenchNet, options: OdinCompileOptions = {}): CompiledNet {
  const { model, report } = compileOdin(net.source, { ...net.options, ...options });
  return { net, forward: writeModel(net.source), odin: writeModel(model), report };
}
