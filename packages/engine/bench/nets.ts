// The nets every engine benchmark measures: the small ones built in test/nets.ts, the full-size WRN-16-4 and
// DenseNet-BC-40 (32×32) and torchvision ResNet-18, ShuffleNetV2 x0.5, MobileNetV2 and SqueezeNet 1.1 (64×64) built
// there too, and the fixture zoo's torchvision exports (32×32).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '../src/graph/ir.ts';
import { readModel, writeModel } from '../src/graph/onnx-io.ts';
import { compileOdin } from '../src/odin/compile.ts';
import type { OdinCompileOptions, OdinCompileReport } from '../src/odin/compile.ts';
import { NET_IO, NETS, TORCHVISION_NETS, denseNetBC, wideResNet } from '../test/nets.ts';

const ZOO = resolve(dirname(fileURLToPath(import.meta.url)), '../test/zoo');
const CIFAR = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] };
const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

export interface BenchNet {
  /** `nets/<name>` for test/nets.ts, `zoo/<name>` for test/zoo. */
  name: string;
  source: Model;
  /** The source model's image input. */
  input: string;
  /** Image height and width. */
  size: number;
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

/** Names that pick several nets in `--nets=`: every full-size net, or the four torchvision ones. */
const GROUPS: Record<string, string[]> = {
  torchvision: TORCHVISION_NETS.map((n) => `nets/${n.name}`),
  full: [...CIFAR_NETS, ...TORCHVISION_NETS].map((n) => `nets/${n.name}`),
};

/**
 * The nets named in `only` (a full name, the part after `nets/` or `zoo/`, or a group: `full`, `torchvision`), or all.
 * Nets are built only when picked (ResNet-18 holds 11 M weights).
 */
export function benchNets(only?: string[]): BenchNet[] {
  const wanted = only?.flatMap((o) => GROUPS[o] ?? [o]);
  const picked = (name: string) => !wanted || wanted.some((o) => name === o || name.endsWith(`/${o}`));
  const built = [
    ...[...NETS, ...CIFAR_NETS].map((spec) => ({ spec, size: 32, norm: CIFAR })),
    ...TORCHVISION_NETS.map((spec) => ({ spec, size: 64, norm: IMAGENET })),
  ]
    .filter(({ spec }) => picked(`nets/${spec.name}`))
    .map(({ spec, size, norm }) => ({ name: `nets/${spec.name}`, source: spec.build({ size }), input: NET_IO.input, size, options: norm }));
  const index = JSON.parse(readFileSync(resolve(ZOO, 'zoo.json'), 'utf8')) as { nets: Record<string, { input: string }> };
  const zoo = Object.entries(index.nets)
    .filter(([name]) => picked(`zoo/${name}`))
    .map(([name, { input }]) => ({
      name: `zoo/${name}`,
      source: readModel(new Uint8Array(readFileSync(resolve(ZOO, `${name}.onnx`)))),
      input,
      size: 32,
      options: {},
    }));
  return [...built, ...zoo];
}

export function compileNet(net: BenchNet, options: OdinCompileOptions = {}): CompiledNet {
  const { model, report } = compileOdin(net.source, { ...net.options, ...options });
  return { net, forward: writeModel(net.source), odin: writeModel(model), report };
}
