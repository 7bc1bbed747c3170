// Formats evaluation results: the reference code's table, and the --json document.
import type { OodMetrics } from '../metrics/index.ts';
import type { EvaluateResult, OodResult } from '../evaluate/index.ts';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const ROWS: [string, keyof OodMetrics][] = [
  ['FPR at TPR 95%:', 'fpr_at_95_tpr'],
  ['Detection error:', 'detection_error'],
  ['AUROC:', 'auroc'],
  ['AUPR In:', 'aupr_in'],
  ['AUPR Out:', 'aupr_out'],
];

/** The table the ODIN reference code prints, one per OOD set. */
export function formatTable(modelName: string, inName: string, r: OodResult, nIn: number): string {
  // Right-aligned to 50 columns, with at least one space after the label however long the value.
  const row = (label: string, value: string) => `${label} ${value.padStart(49 - label.length)}`;
  const lines = [
    row('Neural network architecture:', modelName),
    row('In-distribution dataset:', inName),
    row('Out-of-distribution dataset:', r.out),
    row('Images (in / out):', `${nIn} / ${r.n_out}`),
    row('Temperature / magnitude:', `T=${r.temperature}, ε=${r.magnitude}`),
    '',
    `${''.padEnd(26)}${'Baseline'.padStart(8)}${'Our Method'.padStart(19)}`,
    ...ROWS.map(([label, key]) => `${label.padEnd(26)}${pct(r.baseline[key]).padStart(8)}${pct(r.odin[key]).padStart(19)}`),
  ];
  return lines.join('\n');
}

function metricsJson(m: OodMetrics) {
  return {
    fpr_at_95_tpr: m.fpr_at_95_tpr,
    detection_error: m.detection_error,
    auroc: m.auroc,
    aupr_in: m.aupr_in,
    aupr_out: m.aupr_out,
    threshold: m.threshold,
  };
}

export { metricsJson };

/** The --json document: `{model, in, n_in, results: [{out, n_out, temperature, magnitude, baseline, odin, grid?, idGrid?}]}`. */
export function toJson(modelArg: string, inArg: string, outArgs: string[], result: EvaluateResult) {
  return {
    model: modelArg,
    in: inArg,
    input: result.compile.input,
    n_in: result.n_in,
    accuracy: result.accuracy,
    results: result.results.map((r, i) => ({
      out: outArgs[i],
      n_out: r.n_out,
      temperature: r.temperature,
      magnitude: r.magnitude,
      baseline: metricsJson(r.baseline),
      odin: metricsJson(r.odin),
      ...(r.grid ? { grid: r.grid } : {}),
      ...(r.idGrid ? { idGrid: r.idGrid } : {}),
    })),
    timing: result.timing,
  };
}
