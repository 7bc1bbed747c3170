// `odin eval`: scores an in-distribution set against OOD sets and prints the reference table or JSON.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import { openDataset } from '../data/index.ts';
import { evaluate } from '../evaluate/index.ts';
import type { EvaluateResult, SearchMode, SetScores } from '../evaluate/index.ts';
import { parseFloatList } from '../odin/model-info.ts';
import { METADATA, modelInput } from '../odin/input-semantics.ts';
import { nodeRuntime } from '../runtime/node.ts';
import type { Backend, Runtime } from '../runtime/session.ts';
import { compileNotes, loadModel } from './compile.ts';
import { CliError, EXIT } from './errors.ts';
import { collect, inputSizeOption, nonNegativeNumber, positiveInt, positiveNumber } from './options.ts';
import { progressBar } from './progress-bar.ts';
import { formatTable, toJson } from './report.ts';


/** --mean / --std: numbers, one or one per channel of the model (std positive); a bad list is a usage error. */
function channelValues(text: string | undefined, name: string, channels: number | undefined, positive: boolean): number[] | undefined {
  if (text === undefined) return undefined;
  let values: number[];
  try {
    values = parseFloatList(text, name);
  } catch (e) {
    throw new CliError((e as Error).message, EXIT.usage);
  }
  if (positive && values.some((v) => v <= 0)) throw new CliError(`${name} must be positive, got "${text}"`, EXIT.usage);
  if (channels !== undefined && values.length !== 1 && values.length !== channels)
    throw new CliError(`${name} has ${values.length} values but the model takes ${channels}-channel images; give one value or ${channels}`, EXIT.usage);
  return values;
}

const SEARCH_MODES: SearchMode[] = ['ood-validation', 'id-only'];

async function runtimeFor(backend: Backend): Promise<Runtime> {
  if (backend === 'wasm') return (await import('../runtime/web.ts')).webRuntime;
  return nodeRuntime;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('evaluate ODIN and the max-softmax baseline: in-distribution set vs OOD sets')
    .requiredOption('--model <file>', 'the classifier (.onnx)')
    .requiredOption('--in <data>', 'in-distribution dataset')
    .requiredOption('--out <data>', 'out-of-distribution dataset (repeat for several)', collect)
    .option('--mean <values>', 'per-channel mean on the [0,1] scale (default: model metadata)')
    .option('--std <values>', 'per-channel std on the [0,1] scale (default: model metadata)')
    .option('--temperature <T>', 'ODIN temperature (default 1000)', positiveNumber('--temperature'))
    .option('--epsilon <eps>', 'ODIN perturbation size ε (default 0.0014)', nonNegativeNumber('--epsilon'))
    .addOption(new Option('--magnitude <eps>', 'the old name of --epsilon').argParser(nonNegativeNumber('--magnitude')).hideHelp())
    .addOption(
      new Option('--search [mode]', 'tune on a held-out validation split: ood-validation (T and ε from in-distribution and OOD images, as in the paper) or id-only (ε alone at --temperature, from in-distribution images)')
        .choices(SEARCH_MODES),
    )
    .option('--val <n>', 'images held out for --search: from each set, or with id-only from the in-distribution set (default 1000)', positiveInt('--val'))
    .option('--tune-on <set>', 'with --search: tune on this OOD set only and use its setting for all')
    .option('--batch <n>', 'batch size', positiveInt('--batch'), 64)
    .option('--input-size <H,W>', 'height and width for a model input with dynamic spatial dims (images are resized to it)', inputSizeOption)
    .option('--input <name>', 'the image input, where the model has several float inputs')
    .option('--logits <name>', 'the value holding the logits (default: the [N,K] output, or the input of a final Softmax)')
    .addOption(new Option('--backend <name>', 'where to run').choices(['cpu', 'cuda', 'webgpu', 'wasm']).default('cpu'))
    .addOption(new Option('--fit <mode>', 'how images of another size reach the model').choices(['resize', 'crop']).default('resize'))
    .option('--threads <n>', 'intra-op threads', positiveInt('--threads'))
    .option('--spin', 'idle threads spin instead of sleeping: faster on a machine the run has to itself, slower on a busy one')
    .option('--json', 'print only JSON instead of the tables')
    .option('--scores <dir>', 'write per-sample scores in the reference format')
    .option('--no-progress', 'no progress bar on stderr')
    .action(async (opts) => {
      const search: SearchMode | undefined = opts.search === true ? 'ood-validation' : opts.search;
      if (opts.epsilon !== undefined && opts.magnitude !== undefined) throw new CliError('--magnitude is the old name of --epsilon; give one of them', EXIT.usage);
      const epsilon: number | undefined = opts.epsilon ?? opts.magnitude;
      if (search === 'ood-validation' && (opts.temperature !== undefined || epsilon !== undefined))
        throw new CliError('--search chooses T and ε itself; drop --temperature/--epsilon or --search', EXIT.usage);
      if (search === 'id-only' && epsilon !== undefined) throw new CliError('--search id-only chooses ε itself; drop --epsilon or --search', EXIT.usage);
      if (!opts.search && (opts.val !== undefined || opts.tuneOn !== undefined))
        throw new CliError('--val and --tune-on only apply with --search', EXIT.usage);
      const model = await loadModel(opts.model);
      let noiseShape;
      try {
        const { spec } = modelInput(model, { input: opts.input, inputSize: opts.inputSize });
        noiseShape = { height: spec.height, width: spec.width, channels: spec.channels };
      } catch (e) {
        // A model input the CLI names but the model lacks is the user's mistake; other shapes are the compiler's to judge.
        if (opts.input && !model.graph.inputs.some((v) => v.name === opts.input)) throw new CliError((e as Error).message, EXIT.badInput);
        noiseShape = undefined;
      }
      const mean = channelValues(opts.mean, '--mean', noiseShape?.channels, false);
      const std = channelValues(opts.std, '--std', noiseShape?.channels, true);
      const open = async (spec: string) => {
        try {
          return await openDataset(spec, { shape: noiseShape });
        } catch (e) {
          throw new CliError((e as Error).message, EXIT.badInput);
        }
      };
      const inData = await open(opts.in);
      const outData = [];
      for (const o of opts.out as string[]) outData.push(await open(o));
      const bar = progressBar(opts.progress !== false);
      let result: EvaluateResult;
      try {
        result = await evaluate({
          model,
          inData,
          outData,
          runtime: await runtimeFor(opts.backend),
          backend: opts.backend,
          temperature: opts.temperature,
          epsilon,
          mean,
          std,
          batchSize: opts.batch,
          inputSize: opts.inputSize,
          input: opts.input,
          logits: opts.logits,
          threads: opts.threads,
          spin: opts.spin,
          fit: opts.fit,
          search: search && { mode: search, val: opts.val, tuneOn: opts.tuneOn, temperatures: search === 'id-only' && opts.temperature !== undefined ? [opts.temperature] : undefined },
          onProgress: bar.update,
        });
      } catch (e) {
        if (e instanceof RangeError) throw new CliError(e.message, EXIT.usage);
        throw e;
      } finally {
        bar.stop();
      }
      if (opts.scores) await writeScores(opts.scores, result);
      if (opts.json) return console.log(JSON.stringify(toJson(opts.model, opts.in, opts.out, result), null, 2));
      const name = model.metadata.get(METADATA.arch) ?? basename(opts.model, '.onnx');
      for (const r of result.results) console.log(`${formatTable(name, opts.in, r, result.nIn)}\n`);
      const c = result.compile;
      if (c.upgradedFrom !== undefined || c.logits.skippedHead || c.batch.note) for (const line of compileNotes(c)) console.error(line);
      if (result.accuracy !== undefined) console.log(`In-distribution test accuracy: ${(100 * result.accuracy).toFixed(2)}%`);
      for (const s of [...Object.values(result.scores.in), ...result.scores.out])
        if (s.skipped.length) console.error(`skipped ${s.skipped.length} unreadable images, e.g. ${s.skipped[0].id}: ${s.skipped[0].reason}`);
    });
}

const safe = (name: string) => name.replace(/[^\w.-]+/g, '_');

interface IndexEntry {
  set: string;
  role: 'in' | 'out';
  temperature: number;
  epsilon: number;
  files: { baseline: string; odin: string };
  /** For an OOD set: the in-distribution files its metrics were computed against. */
  against?: { baseline: string; odin: string };
  ids: string[];
  skipped: SetScores['skipped'];
}

/**
 * One file per set and method, `T, eps, score` per line (the reference format; the baseline is the
 * plain softmax, so its T and ε are 1 and 0), and index.json with the ids in file order and the skips.
 * Files are `in_<set>[_T<T>_eps<ε>]_<method>.txt` and `out_<set>_<method>.txt`, numbered when names collide.
 */
async function writeScores(dir: string, result: EvaluateResult): Promise<void> {
  await mkdir(dir, { recursive: true });
  const index: IndexEntry[] = [];
  const used = new Set<string>();
  const stemFor = (stem: string) => {
    let name = stem;
    for (let i = 2; used.has(name); i++) name = `${stem}_${i}`;
    used.add(name);
    return name;
  };
  const write = async (entry: Omit<IndexEntry, 'files' | 'ids' | 'skipped'>, s: SetScores, stem: string) => {
    const name = stemFor(stem);
    const files = { baseline: `${name}_baseline.txt`, odin: `${name}_odin.txt` };
    await writeFile(join(dir, files.baseline), s.msp.map((v) => `1, 0, ${v}\n`).join(''));
    await writeFile(join(dir, files.odin), s.odin.map((v) => `${entry.temperature}, ${entry.epsilon}, ${v[0]}\n`).join(''));
    index.push({ ...entry, files, ids: s.ids, skipped: s.skipped });
    return files;
  };
  const settings = Object.keys(result.scores.in);
  const inFiles = new Map<string, IndexEntry['files']>();
  for (const r of result.results) {
    const key = settings.find((k) => k === `T=${r.temperature},eps=${r.epsilon}`) ?? settings[0];
    if (inFiles.has(key)) continue;
    const tag = settings.length > 1 ? `_T${r.temperature}_eps${r.epsilon}` : '';
    inFiles.set(key, await write({ set: result.in, role: 'in', temperature: r.temperature, epsilon: r.epsilon }, result.scores.in[key], `in_${safe(result.in)}${tag}`));
  }
  for (const [i, r] of result.results.entries()) {
    const key = settings.find((k) => k === `T=${r.temperature},eps=${r.epsilon}`) ?? settings[0];
    await write({ set: r.out, role: 'out', temperature: r.temperature, epsilon: r.epsilon, against: inFiles.get(key) }, result.scores.out[i], `out_${safe(r.out)}`);
  }
  await writeFile(join(dir, 'index.json'), JSON.stringify(index, null, 1));
}
