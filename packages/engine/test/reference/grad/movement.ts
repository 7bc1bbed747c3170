// Reference VJPs of data movement: index-map ops scatter-add the gradient back, reshapes pass it through,
// Concat slices it, Split concatenates it.
import { attrString } from '../../../src/graph/attrs.ts';
import { INDEX_MAPS } from '../ops/index-maps.ts';
import type { IndexMap } from '../ops/index-maps.ts';
import { blockCopy, concatLayout, RESHAPES, splitSizes } from '../ops/movement.ts';
import type { OpContext } from '../ops/context.ts';
import { size } from '../tensor.ts';
import { dyOrZero } from './rule.ts';
import type { VjpRule } from './rule.ts';

/** The adjoint of an index map: dx[map[i]] += dy[i]; Pad's constant value gets the padded cells' sum. */
function scatterRule(mapper: (ctx: OpContext) => IndexMap): VjpRule {
  return (ctx) => {
    const { map } = mapper(ctx);
    const g = dyOrZero(ctx);
    const dx = new Float64Array(ctx.inputs[0]!.data.length);
    let fill = 0;
    for (let i = 0; i < map.length; i++) {
      if (map[i] >= 0) dx[map[i]] += g[i];
      else fill += g[i];
    }
    const grads: (Float64Array | undefined)[] = [dx];
    if (ctx.node.op === 'Pad' && ctx.needs[2] && attrString(ctx.node, 'mode', 'constant') === 'constant') grads[2] = Float64Array.of(fill);
    return grads;
  };
}

const passThrough: VjpRule = (ctx) => [dyOrZero(ctx).slice()];

const concat: VjpRule = (ctx) => {
  const { dims, axis, offsets } = concatLayout(ctx);
  const g = dyOrZero(ctx);
  return ctx.inputs.map((t, i) => {
    if (!ctx.needs[i] || !t) return undefined;
    const part = new Float64Array(t.data.length);
    blockCopy(g, dims, part, t.dims, axis, offsets[i], 'part');
    return part;
  });
};

const split: VjpRule = (ctx) => {
  const xt = ctx.inputs[0]!;
  const { axis, sizes } = splitSizes(ctx);
  const dx = new Float64Array(size(xt.dims));
  let offset = 0;
  sizes.forEach((s, i) => {
    const dims = [...xt.dims];
    dims[axis] = s;
    const g = ctx.dy[i];
    if (g) blockCopy(dx, xt.dims, g, dims, axis, offset, 'whole');
    offset += s;
  });
  return [dx];
};

/** The movement VJP table. */
export const MOVEMENT_RULES = {
  Transpose: scatterRule(INDEX_MAPS.Transpose),
  Slice: scatterRule(INDEX_MAPS.Slice),
  Expand: scatterRule(INDEX_MAPS.Expand),
  Tile: scatterRule(INDEX_MAPS.Tile),
  Pad: scatterRule(INDEX_MAPS.Pad),
  Gather: scatterRule(INDEX_MAPS.Gather),
  ...(Object.fromEntries(Object.keys(RESHAPES).map((op) => [op, passThrough])) as Record<keyof typeof RESHAPES, VjpRule>),
  Concat: concat,
  Split: split,
} satisfies Record<string, VjpRule>;
