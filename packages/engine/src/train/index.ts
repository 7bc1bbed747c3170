// Training classifiers with the engine's own autodiff.
export { ARCHITECTURES, smallCnn, mlp } from './architectures.ts';
export type { ArchitectureOptions } from './architectures.ts';
export { buildTrainingGraph, TRAIN_IO } from './training-graph.ts';
export type { TrainingGraph } from './training-graph.ts';
export { createOptimizer, learningRate } from './optimizers.ts';
export type { Optimizer, OptimizerConfig, Schedule } from './optimizers.ts';
export { loadIntoMemory, pixelStats } from './in-memory.ts';
export type { InMemorySet } from './in-memory.ts';
export { train } from './train.ts';
export type { TrainOptions, TrainProgress, TrainResult } from './train.ts';
