// The engine's evaluation result as RunResult rows: camelCase metrics, both methods' curves, histograms and the search grid.
import type { EvaluateResult, MethodResult, OodResult, SetScores } from '@odin/engine';
import type { Prisma } from '../generated/prisma/client.ts';
import { histogram } from './histogram.ts';

const metrics = (m: MethodResult) => ({ fprAt95Tpr: m.fprAt95Tpr, detectionError: m.detectionError, auroc: m.auroc, auprIn: m.auprIn, auprOut: m.auprOut });

const curves = (m: MethodResult) => ({
  roc: { fpr: m.curves.roc.fpr, tpr: m.curves.roc.tpr, thresholds: m.curves.roc.thresholds.map((t) => (Number.isFinite(t) ? t : null)) },
  prIn: { ...m.curves.prIn },
  prOut: { ...m.curves.prOut },
});

function inScoresFor(result: EvaluateResult, r: OodResult): SetScores {
  const ins = result.scores.in;
  return ins[`T=${r.temperature},eps=${r.epsilon}`] ?? ins[`T=${r.temperature}`] ?? Object.values(ins)[0];
}

export function resultRows(runId: string, result: EvaluateResult): Prisma.RunResultCreateManyInput[] {
  return result.results.map((r, position) => {
    const inScores = inScoresFor(result, r);
    const outScores = result.scores.out[position];
    const odinOf = (s: SetScores) => s.odin.map((row) => row[0]);
    return {
      runId,
      outDatasetId: r.out,
      position,
      nIn: inScores.ids.length,
      nOut: r.nOut,
      temperature: r.temperature,
      epsilon: r.epsilon,
      threshold: r.odin.threshold,
      baselineThreshold: r.baseline.threshold,
      baseline: metrics(r.baseline),
      odin: metrics(r.odin),
      curves: { baseline: curves(r.baseline), odin: curves(r.odin) },
      histograms: { baseline: histogram(inScores.msp, outScores.msp), odin: histogram(odinOf(inScores), odinOf(outScores)) },
      grid: r.grid ? r.grid.map((c) => ({ temperature: c.temperature, epsilon: c.epsilon, fprAt95Tpr: c.fprAt95Tpr, auroc: c.auroc })) : undefined,
    };
  });
}
