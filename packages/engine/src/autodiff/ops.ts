// The op vocabularies: ops we differentiate, ops passed through as non-differentiable, and ops we emit.

/** Ops with a vector-Jacobian rule (see rules/). The rule table is typed over this list. */
export const DIFFERENTIABLE_OPS = [
  'Conv', 'BatchNormalization', 'Relu', 'LeakyRelu', 'PRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish',
  'Tanh', 'Erf', 'Gelu', 'Softplus', 'Exp', 'Log', 'Sqrt', 'Pow', 'Neg', 'Abs', 'Add', 'Sub', 'Mul', 'Div',
  'MatMul', 'Gemm', 'Flatten', 'Reshape', 'Transpose', 'Concat', 'Split', 'Slice', 'Squeeze', 'Unsqueeze',
  'Gather', 'Expand', 'Tile', 'Pad', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool',
  'ReduceMean', 'ReduceSum', 'ReduceMax', 'Softmax', 'LogSoftmax', 'LayerNormalization', 'Identity', 'Dropout',
  'Cast', 'Where',
] as const;
export type DifferentiableOp = (typeof DIFFERENTIABLE_OPS)[number];

/** Ops whose outputs carry no gradient (shapes, masks, indices); they are kept as they are. */
export const NON_DIFFERENTIABLE_OPS = [
  'Shape', 'Size', 'Constant', 'ConstantOfShape', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual',
  'Not', 'And', 'Or', 'Range', 'ArgMax', 'ArgMin', 'NonZero', 'Sign', 'Floor', 'Ceil', 'Round',
] as const;

/**
 * Every op the engine emits (gradient rules, ODIN graph, training graph). Each one is implemented by
 * all four targets at opsets 13–21: onnxruntime-node CPU and CUDA, onnxruntime-web WASM and WebGPU
 * (checked against onnxruntime's docs/OperatorKernels.md and js/web/docs/webgpu-operators.md, 1.30).
 * NOTE: WebGPU lacks MaxPool's Indices output, ScatterND/ScatterElements with reduction, and double
 * precision, which is why the rules avoid them.
 */
export const EMITTED_OPS = [
  'Abs', 'Add', 'And', 'ArgMax', 'AveragePool', 'BatchNormalization', 'Cast', 'Ceil', 'Clip', 'Concat',
  'ConstantOfShape', 'Conv', 'ConvTranspose', 'Cos', 'CumSum', 'DepthToSpace', 'Div', 'Equal', 'Erf', 'Exp',
  'Expand', 'Flatten', 'Floor', 'Gather', 'GatherElements', 'Gemm', 'GlobalAveragePool', 'GlobalMaxPool',
  'Greater', 'GreaterOrEqual', 'Identity', 'LayerNormalization', 'LeakyRelu', 'Less', 'LessOrEqual', 'Log',
  'LogSoftmax', 'MatMul', 'Max', 'MaxPool', 'Min', 'Mul', 'Neg', 'Not', 'Or', 'Pad', 'Pow', 'Range',
  'Reciprocal', 'ReduceL2', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceSum', 'Relu', 'Reshape', 'Shape',
  'Sigmoid', 'Sign', 'Sin', 'Slice', 'Softmax', 'SpaceToDepth', 'Split', 'Sqrt', 'Squeeze', 'Sub', 'Tanh',
  'Tile', 'Transpose', 'Unsqueeze', 'Where', 'Xor',
] as const;
export type EmittedOp = (typeof EMITTED_OPS)[number];

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
