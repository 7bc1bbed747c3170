// The float64 reference's public surface: the interpreter, the tape, finite differences and tensor constructors.
export { run, trace, evaluateNode, REFERENCE_OPS } from './interpreter.ts';
export type { Trace } from './interpreter.ts';
export { gradient, TAPE_OPS } from './tape.ts';
export type { GradientRequest, TapeOp } from './tape.ts';
export { centralDifference, checkGradient } from './finite-diff.ts';
export type { CheckOptions, GradientCheck } from './finite-diff.ts';
export { boolTensor, floatTensor, fromTensorData, intTensor, toNumbers, zeros } from './tensor.ts';
export type { RefDType, RefTensor } from './tensor.ts';
