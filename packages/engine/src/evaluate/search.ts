// The paper's hyperparameter grid and the rule that picks a (T, ε) setting from it.
import { computeOodMetrics } from '../metrics/index.ts';
import type { SetScores } from './score.ts';

/** T ∈ {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}, as in the paper. */
export const DEFAULT_TEMPERATURES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
/** 21 evenly spaced ε in [0, 0.004], as in the paper. */
export const DEFAULT_EPSILONS = Array.from({ length: 21 }, (_, i) => Number(((0.004 * i) / 20).toFixed(6)));

export interface GridCell {
  temperature: number;
  epsilon: number;
  fprAt95Tpr: number;
  auroc: number;
}

/** ODIN's FPR95 and AUROC at each ε of one validation run at temperature T. */
export function gridFor(inVal: SetScores, outVal: SetScores, T: number, epsilons: number[]): GridCell[] {
  return epsilons.map((epsilon, e) => {
    const m = computeOodMetrics(
      Float64Array.from(inVal.odin, (r) => r[e]),
      Float64Array.from(outVal.odin, (r) => r[e]),
    );
    return { temperature: T, epsilon, fprAt95Tpr: m.fprAt95Tpr, auroc: m.auroc };
  });
}

/** Lowest FPR at 95% TPR; ties go to higher AUROC, then smaller T, then smaller ε. */
export function chooseSetting(grid: GridCell[]): GridCell {
  if (grid.length === 0) throw new Error('the search grid is empty');
  return [...grid].sort(
    (a, b) => a.fprAt95Tpr - b.fprAt95Tpr || b.auroc - a.auroc || a.temperature - b.temperature || a.epsilon - b.epsilon,
  )[0];
}

/** The mean ODIN score of the in-distribution validation images at one ε (T fixed), for the ID-only search. */
export interface IdGridCell {
  temperature: number;
  epsilon: number;
  meanScore: number;
}

/** The mean ODIN score of the in-distribution validation images at each ε of one run at temperature T. */
export function idGridFor(inVal: SetScores, T: number, epsilons: number[]): IdGridCell[] {
  if (inVal.odin.length === 0) throw new Error('no in-distribution validation images were scored (all skipped?)');
  return epsilons.map((epsilon, e) => ({ temperature: T, epsilon, meanScore: inVal.odin.reduce((a, r) => a + r[e], 0) / inVal.odin.length }));
}

/** ID-only rule (as Generalized ODIN): the highest mean in-distribution score; ties go to the smaller ε. */
export function chooseIdOnlySetting(grid: IdGridCell[]): IdGridCell {
  if (grid.length === 0) throw new Error('the search grid is empty');
  return [...grid].sort((a, b) => b.meanScore - a.meanScore || a.epsilon - b.epsilon)[0];
}
