// `odin metrics --in FILE --out FILE`: the OOD metrics of two score files.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { computeOodMetrics, parseScoreFile } from '../metrics/index.ts';
import { CliError, EXIT } from './errors.ts';
import { metricsJson } from './report.ts';

async function readScores(path: string): Promise<Float64Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`${path}: ${(e as Error).message}`, EXIT.badInput);
  }
  try {
    const scores = parseScoreFile(text);
    if (scores.length === 0) throw new Error('no scores in the file');
    return scores;
  } catch (e) {
    throw new CliError(`${path}: ${(e as Error).message}`, EXIT.badInput);
  }
}

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description('OOD metrics of two score files (one score per line, or the reference "T, eps, score" format)')
    .requiredOption('--in <file>', 'scores of in-distribution images (higher = more in-distribution)')
    .requiredOption('--out <file>', 'scores of out-of-distribution images')
    .option('--json', 'print JSON')
    .action(async (opts) => {
      const m = computeOodMetrics(await readScores(opts.in), await readScores(opts.out));
      if (opts.json) return console.log(JSON.stringify(metricsJson(m), null, 2));
      const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
      console.log(`FPR at TPR 95%:   ${pct(m.fprAt95Tpr)}`);
      console.log(`Detection error:  ${pct(m.detectionError)}`);
      console.log(`AUROC:            ${pct(m.auroc)}`);
      console.log(`AUPR In:          ${pct(m.auprIn)}`);
      console.log(`AUPR Out:         ${pct(m.auprOut)}`);
      console.log(`Threshold:        ${m.threshold}`);
    });
}
