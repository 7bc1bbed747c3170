// GraphQL types of a run: its settings, status and progress, and per-OOD-set results with curves, histograms and the search grid.
import { GraphQLDateTime } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Backend, RunStatus } from '../../generated/prisma/enums.ts';
import { Connection } from '../../graphql/connection.ts';

registerEnumType(RunStatus, { name: 'RunStatus' });
registerEnumType(Backend, { name: 'Backend', description: 'Where the worker runs the graph: onnxruntime-node CPU, CUDA or WebGPU.' });
export { Backend, RunStatus };

export enum RunOrder {
  CREATED_AT_DESC = 'CREATED_AT_DESC',
  CREATED_AT_ASC = 'CREATED_AT_ASC',
}
registerEnumType(RunOrder, { name: 'RunOrder' });

export enum SearchMode {
  OOD_VALIDATION = 'OOD_VALIDATION',
  ID_ONLY = 'ID_ONLY',
}
registerEnumType(SearchMode, {
  name: 'SearchMode',
  description: 'How a search chooses its setting (docs/metrics.md, "Choosing T and ε").',
  valuesConfig: {
    OOD_VALIDATION: { description: 'The (T, ε) with the lowest FPR at 95% TPR on held-out images of the in-distribution and each OOD set, as in the ODIN paper.' },
    ID_ONLY: { description: 'T fixed (one temperature), the ε with the highest mean ODIN score on held-out in-distribution images; needs no OOD data, and the OOD sets are tested in full.' },
  },
});

@ObjectType()
export class SearchSettings {
  @Field(() => SearchMode) mode!: SearchMode;
  @Field(() => [Float]) temperatures!: number[];
  @Field(() => [Float]) epsilons!: number[];
  @Field(() => Int, { description: 'Images held out from the start of every set to tune on; metrics use the rest.' }) validationCount!: number;
}

@ObjectType()
export class RunSettings {
  @Field(() => Float, { nullable: true }) temperature!: number | null;
  @Field(() => Float, { nullable: true }) epsilon!: number | null;
  @Field(() => SearchSettings, { nullable: true }) search!: SearchSettings | null;
}

@ObjectType({ description: 'Fractions on [0,1], defined as in docs/metrics.md; in-distribution is the positive class.' })
export class OodMetrics {
  @Field(() => Float, { description: 'P(s_out ≥ t) at the largest t with P(s_in ≥ t) ≥ 0.95.' }) fprAt95Tpr!: number;
  @Field(() => Float, { description: 'min over t of ½·P(s_in < t) + ½·P(s_out ≥ t).' }) detectionError!: number;
  @Field(() => Float, { description: 'Area under the ROC curve, ties counting ½.' }) auroc!: number;
  @Field(() => Float, { description: 'Average precision with in-distribution positive.' }) auprIn!: number;
  @Field(() => Float, { description: 'Average precision with OOD positive (scores negated).' }) auprOut!: number;
}

@ObjectType()
export class RocCurve {
  @Field(() => [Float]) fpr!: number[];
  @Field(() => [Float]) tpr!: number[];
  @Field(() => [Float], { nullable: 'items', description: 'Accept iff score ≥ threshold; the first is +∞, given as null.' }) thresholds!: (number | null)[];
}

@ObjectType()
export class PrCurve {
  @Field(() => [Float]) recall!: number[];
  @Field(() => [Float]) precision!: number[];
}

@ObjectType()
export class MethodCurves {
  @Field(() => RocCurve) roc!: RocCurve;
  @Field(() => PrCurve) prIn!: PrCurve;
  @Field(() => PrCurve) prOut!: PrCurve;
}

@ObjectType({ description: 'Curves downsampled to at most 1000 points, endpoints kept.' })
export class RunCurves {
  @Field(() => MethodCurves) baseline!: MethodCurves;
  @Field(() => MethodCurves) odin!: MethodCurves;
}

@ObjectType({ description: 'Counts of scores per bin; bin i is [edges[i], edges[i+1]), the last bin closed.' })
export class ScoreHistogram {
  @Field(() => [Float]) edges!: number[];
  @Field(() => [Int], { name: 'in' }) in!: number[];
  @Field(() => [Int]) out!: number[];
}

@ObjectType()
export class RunHistograms {
  @Field(() => ScoreHistogram) baseline!: ScoreHistogram;
  @Field(() => ScoreHistogram) odin!: ScoreHistogram;
}

@ObjectType()
export class GridCell {
  @Field(() => Float) temperature!: number;
  @Field(() => Float) epsilon!: number;
  @Field(() => Float) fprAt95Tpr!: number;
  @Field(() => Float) auroc!: number;
}

@ObjectType()
export class RunResult {
  @Field(() => ID) outDatasetId!: string;
  @Field(() => Int) nIn!: number;
  @Field(() => Int) nOut!: number;
  @Field(() => Float) temperature!: number;
  @Field(() => Float) epsilon!: number;
  @Field(() => Float, { description: 'The ODIN score at or above which 95% of the in-distribution set scores (score ≥ threshold means "in").' }) threshold!: number;
  @Field(() => Float, { description: 'The same for the max-softmax score.' }) baselineThreshold!: number;
  @Field(() => OodMetrics) baseline!: OodMetrics;
  @Field(() => OodMetrics) odin!: OodMetrics;
  @Field(() => RunCurves) curves!: RunCurves;
  @Field(() => RunHistograms) histograms!: RunHistograms;
  @Field(() => [GridCell], { nullable: true }) grid!: GridCell[] | null;
}

@ObjectType()
export class ScoredSample {
  @Field(() => ID) datasetId!: string;
  @Field(() => Int, { description: 'Raw position in the dataset (GET /v1/datasets/:id/items/:index.png).' }) index!: number;
  @Field(() => Int, { description: '1 = the hardest.' }) rank!: number;
  @Field(() => Float) odin!: number;
  @Field(() => Float) msp!: number;
  @Field(() => Int) prediction!: number;
  @Field(() => String, { nullable: true }) predictedLabel!: string | null;
}

@ObjectType()
export class HardestSamples {
  @Field(() => [ScoredSample], { description: 'OOD images with the highest ODIN scores (most in-distribution).' }) ood!: ScoredSample[];
  @Field(() => [ScoredSample], { description: 'In-distribution images with the lowest ODIN scores (most OOD).' }) inDistribution!: ScoredSample[];
}

@ObjectType()
export class Run {
  @Field(() => ID) id!: string;
  @Field(() => RunStatus) status!: RunStatus;
  @Field(() => Float, { description: 'A fraction on [0, 1].' }) progress!: number;
  @Field(() => String, { nullable: true, description: 'What is running, e.g. "search T=100 …".' }) phase!: string | null;
  @Field(() => Float, { nullable: true }) imagesPerSecond!: number | null;
  @Field(() => Float, { nullable: true, description: 'Seconds left at the current rate of all its workers, while it runs.' }) etaSeconds!: number | null;
  @Field(() => Float, { nullable: true, description: 'Top-1 accuracy on the in-distribution images, where they have labels.' }) accuracy!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Backend) backend!: Backend;
  @Field(() => Int) batchSize!: number;
  @Field(() => RunSettings) settings!: RunSettings;
  @Field(() => GraphQLDateTime) createdAt!: Date;
  @Field(() => GraphQLDateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) finishedAt!: Date | null;
  modelId!: string;
  inDatasetId!: string;
}

export const RunConnection = Connection(Run, 'Run');
