// `npm run bench -w packages/engine`: the sustained ODIN/forward table for every net, and the metrics benchmark.
// Flags: --nets=a,b limits the nets (e.g. --nets=squeezenet,nets/densenet; --nets=torchvision the four 64×64
// torchvision nets, --nets=full every full-size net); --provider=portable measures the graph
// compiled for every backend instead of the CPU's; --profile adds onnxruntime's per-op-type profile of each net's
// forward pass and ODIN graph; --no-metrics skips the metrics benchmark.
import { loadavg } from 'node:os';
import { benchMetrics } from './metrics.ts';
import { benchNets } from './nets.ts';
import { formatProfile, profileOdin } from './profile.ts';
import { benchSustained, formatSustained } from './sustained.ts';

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--nets='))?.slice('--nets='.length).split(',');
const nets = benchNets(only);
const provider = args.includes('--provider=portable') ? 'portable' : 'cpu';

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const before = load();
const rows = [];
for (const net of nets) {
  const kernel = { odin1OverForward: (await profileOdin(net, { provider })).ratio, sweepOverPasses: (await profileOdin(net, { provider, epsilons: 21 })).ratio };
  rows.push({ ...(await benchSustained(net, provider)), kernel });
  process.stderr.write(`${net.name} `);
}
process.stderr.write('\n');
console.log(formatSustained(rows, provider, `${before} before, ${load()} after`));

if (args.includes('--profile'))
  for (const net of nets)
    for (const epsilons of [1, 21]) {
      console.log();
      console.log(formatProfile(await profileOdin(net, { epsilons, provider })));
    }

if (!args.includes('--no-metrics')) {
  const { name, seconds, n } = await benchMetrics();
  console.log();
  console.log(`${name}: ${seconds.toFixed(3)} s (n = ${n})`);
}
