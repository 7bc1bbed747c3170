// Engine Node entry: dataset readers and the onnxruntime-node adapter.
export * from './data/index.ts';
export { nodeRuntime } from './runtime/node.ts';
