// Per-sample scores of a finished run (the API's scores CSV) and the rates they give at a threshold.

/** Scores of one dataset, each method sorted ascending so counts at a threshold are binary searches. */
export interface SortedScores {
  msp: Float64Array;
  odin: Float64Array;
}

export type Method = keyof SortedScores;

/** Parses `dataset_id,index,prediction,msp,odin` rows into sorted scores per dataset id. */
export function parseScoresCsv(csv: string): Map<string, SortedScores> {
  const columns = new Map<string, { msp: number[]; odin: number[] }>();
  const lines = csv.split('\n');
  if (lines[0] !== 'dataset_id,index,prediction,msp,odin') throw new Error(`unexpected scores CSV header: ${lines[0]}`);
  for (const line of lines.slice(1)) {
    if (!line) continue;
    const [datasetId, , , msp, odin] = line.split(',');
    let set = columns.get(datasetId);
    if (!set) columns.set(datasetId, (set = { msp: [], odin: [] }));
    set.msp.push(Number(msp));
    set.odin.push(Number(odin));
  }
  const sorted = (xs: number[]) => Float64Array.from(xs).sort();
  return new Map([...columns].map(([id, s]) => [id, { msp: sorted(s.msp), odin: sorted(s.odin) }]));
}

/** How many of the ascending `xs` are ≥ t. */
export function countAtLeast(xs: Float64Array, t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return xs.length - lo;
}

/** In-distribution is positive and "in" means score ≥ t: TPR = P(s_in ≥ t), FPR = P(s_out ≥ t). */
export interface ThresholdRates {
  threshold: number;
  tpr: number;
  fpr: number;
  inAccepted: number;
  inRejected: number;
  outAccepted: number;
  outRejected: number;
}

export function ratesAt(inScores: Float64Array, outScores: Float64Array, threshold: number): ThresholdRates {
  const inAccepted = countAtLeast(inScores, threshold);
  const outAccepted = countAtLeast(outScores, threshold);
  return {
    threshold,
    tpr: inScores.length ? inAccepted / inScores.length : 0,
    fpr: outScores.length ? outAccepted / outScores.length : 0,
    inAccepted,
    inRejected: inScores.length - inAccepted,
    outAccepted,
    outRejected: outScores.length - outAccepted,
  };
}
