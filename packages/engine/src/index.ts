// Engine core: browser-safe exports (graph IR, autodiff, ODIN compiler, metrics, preprocessing, evaluation, training).
export * from './graph/ir.ts';
export { GraphBuilder } from './graph/builder.ts';
export { ModelFormatError, readModel, writeModel, newModel } from './graph/onnx-io.ts';
export { inferShapes } from './graph/shapes.ts';
export type { ShapeMap, ValueType } from './graph/shapes.ts';
export { buildGradient, UnsupportedOpError } from './autodiff/driver.ts';
export type { GradientRequest } from './autodiff/driver.ts';
export { DIFFERENTIABLE_OPS, EMITTED_OPS, NON_DIFFERENTIABLE_OPS, WEBGPU_OPS } from './autodiff/ops.ts';
export { compileOdin, ODIN_IO, providerFor } from './odin/compile.ts';
export type { OdinCompileOptions, OdinCompileReport } from './odin/compile.ts';
export { UnsupportedModelError, MIN_OPSET, MAX_OPSET } from './odin/model-info.ts';
export { METADATA, modelInput, normalizeBatch, readNormalization, writeTrainingMetadata } from './odin/input-semantics.ts';
export type { Normalization, TrainingRecord } from './odin/input-semantics.ts';
export * from './metrics/index.ts';
export * from './preprocess/index.ts';
export * from './evaluate/index.ts';
export * from './train/index.ts';
export * from './runtime/session.ts';
