// Engine Node entry: dataset readers and the onnxruntime-node adapter.
