// The error the ONNX reader throws for a file it cannot use (not protobuf, not a model, tensors that do not fit their data).

/** A model file that cannot be used; the message says why and what to do. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}
