// Evaluation: scoring datasets through the ODIN graph, metrics per method, and the (T, ε) search.
export { evaluate, jobsFromCheckpoints, DEFAULT_EPSILON, DEFAULT_TEMPERATURE } from './evaluate.ts';
export type { EvaluateOptions, EvaluateResult, MethodResult, OodResult, ScoreJobs, SearchMode, SearchOptions } from './evaluate.ts';
export { CancelledError, scoreDataset, inputDims, emptyScores } from './score.ts';
export type { ScoreCheckpoint, SetScores, ScoreOptions } from './score.ts';
export { chooseIdOnlySetting, chooseSetting, gridFor, idGridFor, DEFAULT_EPSILONS, DEFAULT_TEMPERATURES } from './search.ts';
export type { GridCell, IdGridCell } from './search.ts';
export { ProgressTracker } from './progress.ts';
export type { Progress, ProgressListener } from './progress.ts';
export { evaluateAccuracy } from './accuracy.ts';
