// `odin compile MODEL.onnx -o OUT.onnx`: writes the ODIN graph and prints the compile report.
import { readFile, writeFile } from 'node:fs/promises';
import { Option } from 'commander';
import type { Command } from 'commander';
import { readModel, writeModel } from '../graph/onnx-io.ts';
import { compileOdin } from '../odin/compile.ts';
import type { OdinCompileReport } from '../odin/compile.ts';
import { inputSizeOption } from './options.ts';
import { parseFloatList } from '../odin/model-info.ts';

/** Reads and parses an ONNX file; a parse error names the file. */
export async function loadModel(path: string) {
  const bytes = new Uint8Array(await readFile(path));
  try {
    return readModel(bytes);
  } catch (e) {
    (e as Error).message = `${path}: ${(e as Error).message}`;
    throw e;
  }
}

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('compile a classifier into one ONNX graph computing logits, msp, energy and ODIN scores')
    .argument('<model>', 'the classifier (.onnx)')
    .requiredOption('-o, --output <file>', 'where to write the compiled graph')
    .option('--mean <values>', 'per-channel mean on the [0,1] scale (default: model metadata odin:mean)')
    .option('--std <values>', 'per-channel std on the [0,1] scale (default: model metadata odin:std)')
    .option('--input <name>', 'the model input holding the image')
    .option('--logits <name>', 'the value holding the logits (default: the [N,K] output, or the input of a final Softmax)')
    .option('--input-size <H,W>', 'height and width for an input with dynamic spatial dims', inputSizeOption)
    .addOption(new Option('--provider <provider>', "gradient formulations for every backend (portable) or onnxruntime's CPU provider (cpu)").choices(['portable', 'cpu']).default('portable'))
    .option('--json', 'print the compile report as JSON')
    .action(async (modelPath: string, opts) => {
      const model = await loadModel(modelPath);
      const { model: compiled, report } = compileOdin(model, {
        mean: opts.mean ? parseFloatList(opts.mean, '--mean') : undefined,
        std: opts.std ? parseFloatList(opts.std, '--std') : undefined,
        input: opts.input,
        logits: opts.logits,
        inputSize: opts.inputSize,
        provider: opts.provider,
      });
      await writeFile(opts.output, writeModel(compiled));
      if (opts.json) return console.log(JSON.stringify(report, null, 2));
      console.log(`compiled ${modelPath} -> ${opts.output}`);
      for (const line of compileNotes(report)) console.log(`  ${line}`);
      console.log(`  normalisation (${report.normalization.source}): mean ${report.normalization.mean.join(',')} std ${report.normalization.std.join(',')}`);
      console.log(`  ${report.nodes} nodes; WebGPU fallbacks: ${report.webgpuFallbacks.join(', ') || 'none'}`);
    });
}

/** What the compiler did to the model, one line each: opset, input and size, logits and the head it looked through, batch. */
export function compileNotes(report: OdinCompileReport): string[] {
  const { logits, input, batch } = report;
  const head = logits.skippedHead ? `, looking through the final ${[logits.skippedHead, ...(logits.lookedThrough ?? [])].join(' → ')} (use --logits to override)` : '';
  return [
    `opset ${report.opset}${report.upgradedFrom !== undefined ? ` (upgraded from opset ${report.upgradedFrom})` : ''}; input ${input.name} ${input.shape} (${input.layout})${report.inputSize ? `, size ${report.inputSize.join('×')}` : ''}; logits ${logits.name} (K=${logits.numClasses})${head}`,
    ...(batch.note ? [`batch: ${batch.note}`] : []),
  ];
}
