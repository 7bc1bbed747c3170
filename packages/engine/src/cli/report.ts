// Formats evaluation results: the reference code's table, and the --json document.
import type { OodMetrics } from '../metrics/index.ts';
import type { EvaluateResult, OodResult } from '../evaluate/index.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const ROWS: [string, keyof OodMetrics][] = [
  ['FPR at TPR 95%:', 'fprAt95Tpr'],
  ['Detection error:', 'detectionError'],
  ['AUROC:', 'auroc'],
  ['AUPR In:', 'auprIn'],
  ['AUPR Out:', 'auprOut'],
];

/** The table the ODIN reference code prints, one per OOD set. */
export function formatTable(modelName: string, inName: string, r: OodResult, nIn: number): string {
  // Right-aligned to 50 columns, with at least one space after the label however long the value.
  const row = (label: string, value: string) => `${label} ${value.padStart(49 - label.length)}`;
  const lines = [
    row('Neural network architecture:', modelName),
    row('In-distribution dataset:', inName),
    row('Out-of-distribution dataset:', r.out),
    row('Images (in / out):', `${nIn} / ${r.nOut}`),
    row('Temperature / epsilon:', `T=${r.temperature}, ε=${r.epsilon}`),
    '',
    `${''.padEnd(26)}${'Baseline'.padStart(8)}${'Our Method'.padStart(19)}`,
    ...ROWS.map(([label, key]) => `${label.padEnd(26)}${pct(r.baseline[key]).padStart(8)}${pct(r.odin[key]).padStart(19)}`),
  ];
  return lines.join('\n');
}

function metricsJson(m: OodMetrics) {
  return {
    fprAt95Tpr: m.fprAt95Tpr,
    detectionError: m.detectionError,
    auroc: m.auroc,
    auprIn: m.auprIn,
    auprOut: m.auprOut,
    threshold: m.threshold,
  };
}

export { metricsJson };

/** The --json document: `{model, in, input, nIn, accuracy, results: [{out, nOut, temperature, epsilon, baseline, odin, grid?, idGrid?}], timing}`. */
export function toJson(modelArg: string, inArg: string, outArgs: string[], result: EvaluateResult) {
  return {
    model: modelArg,
    in: inArg,
    input: result.compile.input,
    nIn: result.nIn,
    accuracy: result.accuracy,
    results: result.results.map((r, i) => ({
      out: outArgs[i],
      nOut: r.nOut,
      temperature: r.temperature,
      epsilon: r.epsilon,
      baseline: metricsJson(r.baseline),
      odin: metricsJson(r.odin),
      ...(r.grid ? { grid: r.grid } : {}),
      ...(r.idGrid ? { idGrid: r.idGrid } : {}),
    })),
    timing: result.timing,
  };
}
