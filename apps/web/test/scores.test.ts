import { describe, expect, it } from 'vitest';
import { countAtLeast, parseScoresCsv, ratesAt } from '../lib/scores';

const csv = ['dataset_id,index,prediction,msp,odin', 'in,0,1,0.9,0.5', 'in,1,2,0.8,0.3', 'in,2,0,0.7,0.4', 'out,0,1,0.6,0.35', 'out,1,1,0.95,0.1', ''].join('\n');

describe('scores', () => {
  it('parses the CSV into sorted scores per dataset', () => {
    const sets = parseScoresCsv(csv);
    expect([...sets.keys()]).toEqual(['in', 'out']);
    expect([...sets.get('in')!.odin]).toEqual([0.3, 0.4, 0.5]);
    expect([...sets.get('out')!.msp]).toEqual([0.6, 0.95]);
  });

  it('rejects a file that is not a scores CSV', () => {
    expect(() => parseScoresCsv('a,b\n1,2\n')).toThrow(/header/);
  });

  it('counts scores at or above a threshold, ties included', () => {
    const xs = Float64Array.from([0.1, 0.2, 0.2, 0.3]);
    expect([countAtLeast(xs, 0), countAtLeast(xs, 0.2), countAtLeast(xs, 0.25), countAtLeast(xs, 0.3), countAtLeast(xs, 1)]).toEqual([4, 3, 1, 1, 0]);
  });

  it('gives TPR and FPR with in-distribution positive (hand-worked)', () => {
    const sets = parseScoresCsv(csv);
    // ODIN at t = 0.35: in {0.4, 0.5} ≥ t of 3, out {0.35} ≥ t of 2.
    expect(ratesAt(sets.get('in')!.odin, sets.get('out')!.odin, 0.35)).toEqual({ threshold: 0.35, tpr: 2 / 3, fpr: 1 / 2, inAccepted: 2, inRejected: 1, outAccepted: 1, outRejected: 1 });
  });
});
