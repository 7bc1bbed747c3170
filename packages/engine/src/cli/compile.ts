// `odin compile MODEL.onnx -o OUT.onnx`: writes the ODIN graph and prints the compile report.
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readModel, writeModel } from '../graph/onnx-io.ts';
import { compileOdin } from '../odin/compile.ts';
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
    .option('--logits <name>', 'the value holding the logits')
    .option('--json', 'print the compile report as JSON')
    .action(async (modelPath: string, opts) => {
      const model = await loadModel(modelPath);
      const { model: compiled, report } = compileOdin(model, {
        mean: opts.mean ? parseFloatList(opts.mean, '--mean') : undefined,
        std: opts.std ? parseFloatList(opts.std, '--std') : undefined,
        input: opts.input,
        logits: opts.logits,
      });
      await writeFile(opts.output, writeModel(compiled));
      if (opts.json) return console.log(JSON.stringify(report, null, 2));
      console.log(`compiled ${modelPath} -> ${opts.output}`);
      console.log(`  opset ${report.opset}; input ${report.input.name} ${report.input.shape} (${report.input.layout}); logits ${report.logits.name} (K=${report.logits.numClasses})${report.logits.skippedHead ? `, looking through the final ${report.logits.skippedHead}` : ''}`);
      console.log(`  normalisation (${report.normalization.source}): mean ${report.normalization.mean.join(',')} std ${report.normalization.std.join(',')}`);
      console.log(`  ${report.nodes} nodes; WebGPU fallbacks: ${report.webgpuFallbacks.join(', ') || 'none'}`);
    });
}
