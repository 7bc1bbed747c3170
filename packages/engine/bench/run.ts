// `npm run bench -w packages/engine`: the ODIN throughput table and the metrics benchmark.
// Flags: --profile adds onnxruntime's per-op-type profile of each compiled graph; --nets=a,b limits the nets;
// --no-zoo skips the fixture-zoo table.
import { benchMetrics } from './metrics.ts';
import { benchOdin, formatOdinTable, formatProfile, profileOdin } from './odin.ts';
import { benchZoo, formatZooTable } from './zoo.ts';

const args = process.argv.slice(2);
const nets = args.find((a) => a.startsWith('--nets='))?.slice('--nets='.length).split(',');

const rows = await benchOdin(nets);
console.log(formatOdinTable(rows));

if (args.includes('--profile'))
  for (const row of rows)
    for (const epsilons of [1, 21]) {
      console.log();
      console.log(formatProfile(await profileOdin(row.net, epsilons)));
    }

console.log();
if (!args.includes('--no-zoo')) {
  console.log(formatZooTable(await benchZoo()));
  console.log();
}
const { name, seconds, n } = await benchMetrics();
console.log(`${name}: ${seconds.toFixed(3)} s (n = ${n})`);
