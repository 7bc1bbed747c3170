// evaluateAccuracy normalises each channel with its own odin:mean/odin:std, in NCHW and NHWC models alike.
import { describe, expect, it } from 'vitest';
import { makeDataset } from '../data/dataset.ts';
import { GraphBuilder } from '../graph/builder.ts';
import { emptyGraph } from '../graph/ir.ts';
import type { Model } from '../graph/ir.ts';
import { newModel } from '../graph/onnx-io.ts';
import { METADATA } from '../odin/input-semantics.ts';
import { nodeRuntime } from '../runtime/node.ts';
import { mulberry } from '../../test/gradcheck.ts';
import { evaluateAccuracy } from './accuracy.ts';

const MEAN = [0.1, 0.5, 0.9];
const STD = [0.2, 0.4, 0.05];
const [H, W] = [2, 3];

/** logits[c] = the mean over the image of its normalised channel c: the predicted class is the channel that stands out most. */
function channelMeans(layout: 'NCHW' | 'NHWC'): Model {
  const g = emptyGraph('channels');
  g.inputs.push({ name: 'x', dtype: 'float32', shape: layout === 'NCHW' ? ['N', 3, H, W] : ['N', H, W, 3] });
  const b = new GraphBuilder(g, 17);
  const pooled = layout === 'NCHW' ? b.op('GlobalAveragePool', ['x']) : b.reduce('ReduceMean', 'x', [1, 2], true);
  b.node('Flatten', [pooled], { axis: 1 }, ['logits']);
  g.outputs.push({ name: 'logits', dtype: 'float32', shape: ['N', 3] });
  const model = newModel(g, 17);
  model.metadata.set(METADATA.mean, MEAN.join(','));
  model.metadata.set(METADATA.std, STD.join(','));
  return model;
}

describe('evaluateAccuracy', () => {
  const rand = mulberry(3);
  const images = Array.from({ length: 40 }, () => Float32Array.from({ length: H * W * 3 }, () => rand()));
  // HWC pixels: the label is the channel whose normalised mean is largest, computed here by hand.
  const normalisedMean = (p: Float32Array, c: number) => p.filter((_, i) => i % 3 === c).reduce((a, v) => a + (v - MEAN[c]) / STD[c], 0) / (H * W);
  const argmax = (v: number[]) => v.indexOf(Math.max(...v));
  const labels = images.map((p) => argmax([0, 1, 2].map((c) => normalisedMean(p, c))));
  const labelled = makeDataset({
    name: 'rgb',
    size: images.length,
    labels: ['r', 'g', 'b'],
    async *items(start) {
      yield images.slice(start).map((pixels, k) => ({ id: `rgb#${start + k}`, label: labels[start + k], image: { height: H, width: W, channels: 3 as const, pixels } }));
    },
  });

  it.each(['NCHW', 'NHWC'] as const)('uses every channel’s own mean and std (%s)', async (layout) => {
    // With one value for all channels the labels would mostly be the raw brightest channel instead.
    const raw = images.map((p) => argmax([0, 1, 2].map((c) => p.filter((_, i) => i % 3 === c).reduce((a, v) => a + v, 0))));
    expect(raw.filter((r, i) => r !== labels[i]).length).toBeGreaterThan(10);
    expect(await evaluateAccuracy(channelMeans(layout), labelled, nodeRuntime)).toBe(1);
  });
});
