// The op vocabularies: ops we differentiate, ops passed through as non-differentiable, and ops we emit.

/** Ops with a vector-Jacobian rule (see rules/). The rule table is typed over this list. */
export const DIFFERENTIABLE_OPS = [
  'Conv', 'BatchNormalization', 'Relu', 'LeakyRelu', 'PRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish',
  'Tanh', 'Erf', 'Gelu', 'Softplus', 'Exp', 'Log', 'Sqrt', 'Pow', 'Neg', 'Abs', 'Add', 'Sub', 'Mul', 'Div',
  'MatMul', 'Gemm', 'Flatten', 'Reshape', 'Transpose', 'Concat', 'Split', 'Slice', 'Squeeze', 'Unsqueeze',
  'Gather', 'Expand', 'Tile', 'Pad', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool',
  'ReduceMean', 'ReduceSum', 'ReduceMax', 'Softmax', 'LogSoftmax', 'LayerNormalization', 'Identity', 'Dropout',
  'Cast', 'Where', 'Elu', 'Selu', 'Celu', 'ThresholdedRelu', 'Mish', 'Softsign', 'InstanceNormalization', 'LRN',
] as const;
export type DifferentiableOp = (typeof DIFFERENTIABLE_OPS)[number];

/** Ops whose outputs carry no gradient (shapes, masks, indices); they are kept as they are. */
export const NON_DIFFERENTIABLE_OPS = [
  'Shape', 'Size', 'Constant', 'ConstantOfShape', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual',
  'Not', 'And', 'Or', 'Range', 'ArgMax', 'ArgMin', 'NonZero', 'Sign', 'Floor', 'Ceil', 'Round',
] as const;

/**
 * Every op the engine emits (gradient rules, ODIN graph, training graph). Each one is implemented by
 * onnxruntime-node's CPU and CUDA providers and onnxruntime-web's WASM backend at opsets 13–21
 * (onnxruntime docs/OperatorKernels.md, 1.30), and by the WebGPU provider (WEBGPU_OPS below). So the rules
 * use Where/Mul/comparisons rather than And, Or, Sign, Max or Min, and Expand rather than ConstantOfShape.
 * NOTE: WebGPU's Range and Equal have no int64 kernels; only the Gather rule's one-hot for indices known
 * only at run time uses them on int64 (a few elements), and those nodes run on the CPU.
 * NOTE: WebGPU also lacks MaxPool's Indices output, ScatterND/ScatterElements with reduction, SpaceToDepth
 * and double precision, which is why no portable rule uses them (CPU_EMITTED_OPS below; there And joins masks and a
 * nearest Resize zero-upsamples a depthwise Conv's dY).
 */
export const EMITTED_OPS = [
  'Abs', 'Add', 'ArgMax', 'AveragePool', 'BatchNormalization', 'Cast', 'Ceil', 'Clip', 'Concat', 'Conv', 'ConvTranspose', 'Cos', 'CumSum', 'DepthToSpace', 'Div', 'Equal', 'Erf', 'Exp',
  'Expand', 'Flatten', 'Floor', 'Gather', 'GatherElements', 'Gemm', 'GlobalAveragePool', 'GlobalMaxPool',
  'Greater', 'GreaterOrEqual', 'Identity', 'LayerNormalization', 'LeakyRelu', 'Less', 'LessOrEqual', 'Log',
  'MatMul', 'MaxPool', 'Mul', 'Neg', 'Not', 'Pad', 'Pow', 'Range',
  'Reciprocal', 'ReduceL2', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceSum', 'Relu', 'Reshape', 'Shape',
  'Sigmoid', 'Sin', 'Slice', 'Softmax', 'Split', 'Sqrt', 'Squeeze', 'Sub', 'Tanh',
  'Tile', 'Transpose', 'Unsqueeze', 'Where',
] as const;
export type EmittedOp = (typeof EMITTED_OPS)[number];

/** Ops emitted only in graphs compiled for onnxruntime's CPU provider (rule.ts's Provider), besides EMITTED_OPS. */
export const CPU_EMITTED_OPS = ['And', 'Resize', 'ScatterElements'] as const;

/**
 * Ops the WebGPU execution provider implements (onnxruntime 1.30, core/providers/webgpu kernel registry).
 * Any other node falls back to the CPU (WASM in the browser); the compile report lists those.
 */
export const WEBGPU_OPS = new Set([
  'Abs', 'Neg', 'Floor', 'Ceil', 'Reciprocal', 'Sqrt', 'Exp', 'Erf', 'Sigmoid', 'HardSigmoid', 'Log', 'Sin', 'Cos',
  'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Tanh', 'Not', 'Cast', 'Clip', 'Elu',
  'Relu', 'LeakyRelu', 'ThresholdedRelu', 'Gelu', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSum',
  'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceSumSquare', 'ReduceLogSumExp', 'Add', 'Sub', 'Mul', 'Div', 'Pow',
  'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'Shape', 'Reshape', 'Squeeze', 'Unsqueeze', 'Where',
  'Transpose', 'DepthToSpace', 'Conv', 'ConvTranspose', 'MaxPool', 'AveragePool', 'GlobalAveragePool',
  'GlobalMaxPool', 'Gemm', 'MatMul', 'ArgMax', 'ArgMin', 'Softmax', 'Concat', 'Split', 'Expand', 'Resize', 'Gather',
  'GatherElements', 'Slice', 'Flatten', 'Tile', 'LayerNormalization', 'InstanceNormalization', 'Range', 'Einsum',
  'Pad', 'If', 'BatchNormalization', 'CumSum', 'DequantizeLinear', 'Identity', 'Dropout',
]);
