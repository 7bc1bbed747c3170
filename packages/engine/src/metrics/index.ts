// Metrics public surface: OOD metrics and curves from detector scores, and the score-file parser.
export { computeOodMetrics, type OodCurves, type OodMetrics, type OodMetricsOptions } from './ood-metrics.ts';
export type { PrCurve } from './average-precision.ts';
export type { RocCurve } from './roc.ts';
export type { ScoreArray } from './sweep.ts';
export { MAX_CURVE_POINTS } from './downsample.ts';
export { parseScoreFile } from './score-file.ts';
