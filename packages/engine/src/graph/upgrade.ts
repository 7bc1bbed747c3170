// Upgrades a model written at opsets 7–12 to the semantics of opset 13, rewriting the ops whose form changed.
import { attrFloat, attrFloats, attrInt, attrInts, attrString } from './attrs.ts';
import { GraphBuilder } from './builder.ts';
import { cloneGraph, consumers } from './ir.ts';
import type { Attr, Model, Node } from './ir.ts';
import { inferShapes } from './shapes.ts';
import type { ShapeMap } from './shapes.ts';
import { f32 } from './tensor.ts';

/** The oldest default-domain opset the upgrade accepts, and the one it writes. */
export const MIN_UPGRADE_OPSET = 7;
export const UPGRADE_TARGET_OPSET = 13;

/** A node the upgrade cannot carry to opset 13; the message names the op, the node and the opset. */
export class OpsetUpgradeError extends Error {
  override name = 'OpsetUpgradeError';
}

/**
 * Ops whose opset-13 form reads every opset 7–12 node the same way (for inference): they are kept as they are.
 * Only ops that changed shape of their attributes or inputs between 7 and 13 need a rule in UPGRADES.
 */
const UNCHANGED = new Set([
  'Abs', 'Acos', 'Add', 'And', 'ArgMax', 'ArgMin', 'Asin', 'Atan', 'AveragePool', 'Cast', 'Ceil', 'Celu', 'Clip', 'Concat',
  'Constant', 'ConstantOfShape', 'Conv', 'ConvTranspose', 'Cos', 'CumSum', 'DepthToSpace', 'Div', 'Einsum', 'Elu', 'Equal',
  'Erf', 'Exp', 'Expand', 'Flatten', 'Floor', 'Gather', 'GatherElements', 'GatherND', 'Gemm', 'GlobalAveragePool',
  'GlobalMaxPool', 'Greater', 'GreaterOrEqual', 'HardSigmoid', 'Identity', 'InstanceNormalization', 'LRN', 'LeakyRelu',
  'Less', 'LessOrEqual', 'Log', 'MatMul', 'Max', 'MaxPool', 'Mean', 'Min', 'Mod', 'Mul', 'Neg', 'NonZero', 'Not',
  'OneHot', 'Or', 'PRelu', 'Pow', 'Range', 'Reciprocal', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp',
  'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSumSquare', 'Relu', 'Reshape', 'Round', 'Selu', 'Shape',
  'Sigmoid', 'Sign', 'Sin', 'Size', 'Softplus', 'Softsign', 'SpaceToDepth', 'Sqrt', 'Sub', 'Sum', 'Tan', 'Tanh',
  'ThresholdedRelu', 'Tile', 'Transpose', 'Where', 'Xor',
]);

interface UpgradeContext {
  b: GraphBuilder;
  node: Node;
  opset: number;
  types: ShapeMap;
  /** Whether a value is read by some node or is a graph output. */
  used(name: string): boolean;
  fail(why: string): never;
}

/** Emits the opset-13 form of one node (pushing to b.graph.nodes). */
type Upgrade = (ctx: UpgradeContext) => void;

/** The node itself with some attributes dropped and inputs replaced. */
function keep(ctx: UpgradeContext, inputs: string[], drop: string[] = [], extra: Record<string, Attr> = {}): void {
  const attrs = Object.fromEntries(Object.entries(ctx.node.attrs).filter(([k]) => !drop.includes(k)));
  ctx.b.graph.nodes.push({ ...ctx.node, inputs, attrs: { ...attrs, ...extra } });
}

/** An attribute list moved into an int64 input at position `at` (before opset 13, or 10/11 for some ops). */
const attrToInput =
  (attr: string, at: number, since: number): Upgrade =>
  (ctx) => {
    const values = attrInts(ctx.node, attr);
    if (ctx.opset >= since || !values) return keep(ctx, ctx.node.inputs);
    const inputs = [...ctx.node.inputs];
    while (inputs.length < at) inputs.push('');
    inputs[at] = ctx.b.ints(values);
    keep(ctx, inputs, [attr]);
  };

// softmax before 13: flatten to 2-D at `axis` (default 1), softmax each row, then back to the input's shape.
const coerced2d: Upgrade = (ctx) => {
  const { b, node, types } = ctx;
  const x = node.inputs[0];
  const axis = attrInt(node, 'axis', 1);
  if (ctx.opset >= 13) return keep(ctx, node.inputs);
  const rank = types.get(x)?.shape?.length;
  if (rank !== undefined && (axis === rank - 1 || axis === -1)) return keep(ctx, [x], [], { axis: { type: 'int', value: -1 } });
  const flat = b.op('Flatten', [x], { axis });
  const rows = b.op(node.op, [flat], { axis: 1 });
  b.node('Reshape', [rows, b.shape(x)], {}, [node.outputs[0]]);
};

const UPGRADES: Record<string, Upgrade> = {
  Softmax: coerced2d,
  LogSoftmax: coerced2d,
  Hardmax: coerced2d,
  Squeeze: attrToInput('axes', 1, 13),
  Unsqueeze: attrToInput('axes', 1, 13),
  ReduceSum: attrToInput('axes', 1, 13),
  Split: attrToInput('split', 1, 13),
  TopK: (ctx) => {
    const k = attrInt(ctx.node, 'k');
    if (ctx.opset >= 10 || k === undefined) return keep(ctx, ctx.node.inputs);
    keep(ctx, [ctx.node.inputs[0], ctx.b.ints([k])], ['k']);
  },
  Slice: (ctx) => {
    const { node, b } = ctx;
    if (ctx.opset >= 10) return keep(ctx, node.inputs);
    const starts = attrInts(node, 'starts')!;
    const axes = attrInts(node, 'axes', starts.map((_, i) => i));
    keep(ctx, [node.inputs[0], b.ints(starts), b.ints(attrInts(node, 'ends')!), b.ints(axes)], ['starts', 'ends', 'axes']);
  },
  Pad: (ctx) => {
    const { node, b } = ctx;
    if (ctx.opset >= 11) return keep(ctx, node.inputs);
    keep(ctx, [node.inputs[0], b.ints(attrInts(node, 'pads')!), b.scalar(attrFloat(node, 'value', 0))], ['pads', 'value']);
  },
  Clip: (ctx) => {
    const { node, b } = ctx;
    if (ctx.opset >= 11) return keep(ctx, node.inputs);
    const lo = node.attrs.min ? b.scalar(attrFloat(node, 'min', 0)) : '';
    const hi = node.attrs.max ? b.scalar(attrFloat(node, 'max', 0)) : '';
    keep(ctx, [node.inputs[0], lo, hi], ['min', 'max']);
  },
  // spatial=0 (opset 7–8) normalises per activation: only the same thing as spatial=1 when the statistics are per channel.
  BatchNormalization: (ctx) => {
    const { node, types } = ctx;
    if (attrInt(node, 'spatial', 1) === 0 && types.get(node.inputs[1])?.shape?.length !== 1)
      ctx.fail('spatial=0 with per-activation statistics has no opset-13 form');
    if (node.outputs.slice(1).some((o) => o && ctx.used(o))) ctx.fail('its training-mode outputs (running mean/var) are used');
    ctx.b.graph.nodes.push({ ...node, outputs: [node.outputs[0]], attrs: Object.fromEntries(Object.entries(node.attrs).filter(([k]) => k !== 'spatial' && k !== 'is_test' && k !== 'consumed_inputs')) });
  },
  // Inference-mode Dropout is the identity at every opset; its mask output is all ones, which nothing should read.
  Dropout: (ctx) => {
    const { node, b } = ctx;
    if (node.outputs[1] && ctx.used(node.outputs[1])) ctx.fail('its mask output is used');
    b.node('Identity', [node.inputs[0]], {}, [node.outputs[0]]);
  },
  // Upsample (7–9) and Resize (10) scale with asymmetric coordinates: x_in = x_out / scale.
  Upsample: (ctx) => {
    const { node, b } = ctx;
    const scales = ctx.opset >= 9 ? node.inputs[1] : b.constant(f32(attrFloats(node, 'scales')!), 'scales');
    resizeAsymmetric(ctx, scales, attrString(node, 'mode', 'nearest'));
  },
  Resize: (ctx) => {
    if (ctx.opset >= 11) return keep(ctx, ctx.node.inputs);
    resizeAsymmetric(ctx, ctx.node.inputs[1], attrString(ctx.node, 'mode', 'nearest'));
  },
};

function resizeAsymmetric(ctx: UpgradeContext, scales: string, mode: string): void {
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear') ctx.fail(`mode "${mode}" is not nearest or linear`);
  const attrs = { mode: mode === 'nearest' ? 'nearest' : 'linear', coordinate_transformation_mode: 'asymmetric', ...(mode === 'nearest' ? { nearest_mode: 'floor' } : {}) };
  ctx.b.node('Resize', [ctx.node.inputs[0], '', scales], attrs, [ctx.node.outputs[0]]);
}

/**
 * Rewrites a model at opset 7–12 in place (all or nothing) so that it means the same at opset 13, and sets its opset to 13
 * (IR version at least 7). Models at 13 or later are left alone. Returns the opset it was upgraded from, or
 * undefined when nothing changed. Throws OpsetUpgradeError naming the op and node it cannot carry over.
 */
export function upgradeToOpset13(model: Model): number | undefined {
  const from = model.opset;
  if (from >= UPGRADE_TARGET_OPSET) return undefined;
  if (from < MIN_UPGRADE_OPSET)
    throw new OpsetUpgradeError(`the model uses ONNX opset ${from}; opsets ${MIN_UPGRADE_OPSET}–12 are upgraded on import, older ones are not. Convert it with onnx.version_converter.convert_version(model, 13)`);
  // Built on a copy, so a refusal leaves the model as it was.
  const g = cloneGraph(model.graph);
  const types = inferShapes(model);
  const readers = consumers(g);
  const outputs = new Set(g.outputs.map((o) => o.name));
  const used = (name: string) => outputs.has(name) || (readers.get(name)?.length ?? 0) > 0;
  const b = new GraphBuilder(g, UPGRADE_TARGET_OPSET, 'upgrade/');
  const nodes = g.nodes;
  g.nodes = [];
  for (const node of nodes) {
    const fail = (why: string): never => {
      throw new OpsetUpgradeError(`cannot upgrade ${node.op} node "${node.name}" from opset ${from} to ${UPGRADE_TARGET_OPSET}: ${why}`);
    };
    if (node.domain !== '') g.nodes.push(node);
    else if (UPGRADES[node.op]) UPGRADES[node.op]({ b, node, opset: from, types, used, fail });
    else if (UNCHANGED.has(node.op)) g.nodes.push(node);
    else fail('the engine has no rule for how this op changed; re-export the model at opset 13 or later');
  }
  Object.assign(model.graph, g);
  setOpset(model, UPGRADE_TARGET_OPSET);
  return from;
}

/** Sets the default-domain opset and the IR version it needs, for a model whose nodes mean the same at `opset`. */
export function setOpset(model: Model, opset: number): void {
  model.opset = opset;
  model.opsetImports = model.opsetImports.map((o) => (o.domain === '' ? { domain: '', version: opset } : o));
  model.irVersion = Math.max(model.irVersion, opset >= 15 ? 8 : 7);
}
