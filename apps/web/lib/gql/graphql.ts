/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Where the worker runs the graph: onnxruntime-node CPU, CUDA or WebGPU. */
export type Backend =
  | 'CPU'
  | 'CUDA'
  | 'WEBGPU';

export type DatasetKind =
  | 'BUILTIN'
  | 'SYNTHETIC'
  | 'UPLOADED';

export type RegisterDatasetInput = {
  name: string;
  uploadId: string | number;
};

export type RegisterModelInput = {
  description?: string | null | undefined;
  /** [height, width]; defaults to the input shape. */
  inputSize?: Array<number> | null | undefined;
  /** Class names; defaults to odin:labels. */
  labels?: Array<string> | null | undefined;
  /** Per-channel mean on the [0,1] pixel scale; defaults to the odin:mean metadata, else 0. */
  mean?: Array<number> | null | undefined;
  name: string;
  /** Per-channel std on the [0,1] pixel scale; defaults to odin:std, else 1. */
  std?: Array<number> | null | undefined;
  uploadId: string | number;
};

export type RunOrder =
  | 'CREATED_AT_ASC'
  | 'CREATED_AT_DESC';

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type SearchInput = {
  /** Default 21 values from 0 to 0.004. */
  epsilons?: Array<number> | null | undefined;
  /** Default 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000. */
  temperatures?: Array<number> | null | undefined;
  /** Images held out from the start of every set to tune on (default 1000). */
  validationCount?: number | null | undefined;
};

export type StartRunInput = {
  /** Default CPU (or the server’s ODIN_BACKEND). */
  backend?: Backend | null | undefined;
  /** Default chosen by the server. */
  batchSize?: number | null | undefined;
  /** Default 0.0014. */
  epsilon?: number | null | undefined;
  inDatasetId: string | number;
  modelId: string | number;
  outDatasetIds: Array<string | number>;
  search?: SearchInput | null | undefined;
  /** Default 1000. */
  temperature?: number | null | undefined;
};

export type SyntheticDatasetInput = {
  count: number;
  kind: SyntheticKind;
  /** A model or dataset whose item shape the noise copies (default 28×28×1). */
  like?: string | number | null | undefined;
  name?: string | null | undefined;
  seed?: number | null | undefined;
};

/** UNIFORM: U[0,1) pixels; GAUSSIAN: N(0.5, 1) clamped to [0,1]. */
export type SyntheticKind =
  | 'GAUSSIAN'
  | 'UNIFORM';

export type DatasetsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  kind?: DatasetKind | null | undefined;
}>;


export type DatasetsQuery = { datasets: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, edges: Array<{ node: { id: string, name: string, kind: DatasetKind, format: string, itemCount: number, itemShape: Array<number>, createdAt: string } }> } };

export type DatasetQueryVariables = Exact<{
  id: string | number;
}>;


export type DatasetQuery = { dataset: { id: string, name: string, kind: DatasetKind, format: string, itemCount: number, itemShape: Array<number>, labels: Array<string>, sha256: string | null, sourceSpec: string, createdAt: string, rejected: Array<{ entry: string, reason: string }> } | null };

export type RegisterDatasetMutationVariables = Exact<{
  input: RegisterDatasetInput;
}>;


export type RegisterDatasetMutation = { registerDataset: { id: string, name: string, itemCount: number, rejected: Array<{ entry: string, reason: string }> } };

export type CreateSyntheticDatasetMutationVariables = Exact<{
  input: SyntheticDatasetInput;
}>;


export type CreateSyntheticDatasetMutation = { createSyntheticDataset: { id: string } };

export type ModelsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ModelsQuery = { models: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, edges: Array<{ node: { id: string, name: string, sha256: string, size: number, numClasses: number, inputSize: Array<number>, layout: string, odinCompiles: boolean, parameterCount: number, createdAt: string } }> } };

export type ModelQueryVariables = Exact<{
  id: string | number;
}>;


export type ModelQuery = { model: { id: string, name: string, description: string | null, sha256: string, size: number, createdAt: string, inputName: string, inputShape: Array<number | null>, inputSize: Array<number>, layout: string, outputName: string, numClasses: number, labels: Array<string>, mean: Array<number>, std: Array<number>, opset: number, parameterCount: number, odinCompiles: boolean, odinError: string | null, opHistogram: Array<{ op: string, count: number }> } | null };

export type InspectUploadQueryVariables = Exact<{
  uploadId: string | number;
}>;


export type InspectUploadQuery = { inspectUpload: { inputName: string, inputShape: Array<number | null>, inputSize: Array<number>, layout: string, outputName: string, numClasses: number, labels: Array<string>, mean: Array<number>, std: Array<number>, opset: number, parameterCount: number, odinCompiles: boolean, odinError: string | null, unsupportedOps: Array<string> } };

export type RegisterModelMutationVariables = Exact<{
  input: RegisterModelInput;
}>;


export type RegisterModelMutation = { registerModel: { id: string } };

export type RunRowFragment = { id: string, status: RunStatus, progress: number, phase: string | null, imagesPerSecond: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: string | null, backend: Backend, batchSize: number, settings: { temperature: number | null, epsilon: number | null, search: { temperatures: Array<number>, epsilons: Array<number>, validationCount: number } | null }, model: { id: string, name: string }, inDataset: { id: string, name: string }, outDatasets: Array<{ id: string, name: string }> };

export type RunsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  modelId?: string | number | null | undefined;
  datasetId?: string | number | null | undefined;
  status?: RunStatus | null | undefined;
  orderBy?: RunOrder | null | undefined;
}>;


export type RunsQuery = { runs: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, edges: Array<{ node: { id: string, status: RunStatus, progress: number, phase: string | null, imagesPerSecond: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: string | null, backend: Backend, batchSize: number, results: Array<{ outDatasetId: string, baseline: { fprAt95Tpr: number, auroc: number }, odin: { fprAt95Tpr: number, auroc: number } }>, settings: { temperature: number | null, epsilon: number | null, search: { temperatures: Array<number>, epsilons: Array<number>, validationCount: number } | null }, model: { id: string, name: string }, inDataset: { id: string, name: string }, outDatasets: Array<{ id: string, name: string }> } }> } };

export type RunQueryVariables = Exact<{
  id: string | number;
}>;


export type RunQuery = { run: { accuracy: number | null, id: string, status: RunStatus, progress: number, phase: string | null, imagesPerSecond: number | null, createdAt: string, startedAt: string | null, finishedAt: string | null, error: string | null, backend: Backend, batchSize: number, results: Array<{ outDatasetId: string, temperature: number, epsilon: number, threshold: number, baselineThreshold: number, nIn: number, nOut: number, outDataset: { id: string, name: string, itemCount: number }, baseline: { fprAt95Tpr: number, detectionError: number, auroc: number, auprIn: number, auprOut: number }, odin: { fprAt95Tpr: number, detectionError: number, auroc: number, auprIn: number, auprOut: number }, curves: { baseline: { roc: { fpr: Array<number>, tpr: Array<number> }, prIn: { precision: Array<number>, recall: Array<number> }, prOut: { precision: Array<number>, recall: Array<number> } }, odin: { roc: { fpr: Array<number>, tpr: Array<number> }, prIn: { precision: Array<number>, recall: Array<number> }, prOut: { precision: Array<number>, recall: Array<number> } } }, histograms: { baseline: { edges: Array<number>, in: Array<number>, out: Array<number> }, odin: { edges: Array<number>, in: Array<number>, out: Array<number> } } }>, settings: { temperature: number | null, epsilon: number | null, search: { temperatures: Array<number>, epsilons: Array<number>, validationCount: number } | null }, model: { id: string, name: string }, inDataset: { id: string, name: string }, outDatasets: Array<{ id: string, name: string }> } | null };

export type MethodCurvesFieldsFragment = { roc: { fpr: Array<number>, tpr: Array<number> }, prIn: { precision: Array<number>, recall: Array<number> }, prOut: { precision: Array<number>, recall: Array<number> } };

export type StartRunMutationVariables = Exact<{
  input: StartRunInput;
}>;


export type StartRunMutation = { startRun: { id: string } };

export type CancelRunMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelRunMutation = { cancelRun: { id: string, status: RunStatus } };

export type RerunMutationVariables = Exact<{
  id: string | number;
}>;


export type RerunMutation = { rerun: { id: string } };

export type PingQueryVariables = Exact<{ [key: string]: never; }>;


export type PingQuery = { __typename: 'Query' };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const RunRowFragmentDoc = new TypedDocumentString(`
    fragment RunRow on Run {
  id
  status
  progress
  phase
  imagesPerSecond
  createdAt
  startedAt
  finishedAt
  error
  backend
  batchSize
  settings {
    temperature
    epsilon
    search {
      temperatures
      epsilons
      validationCount
    }
  }
  model {
    id
    name
  }
  inDataset {
    id
    name
  }
  outDatasets {
    id
    name
  }
}
    `, {"fragmentName":"RunRow"}) as unknown as TypedDocumentString<RunRowFragment, unknown>;
export const MethodCurvesFieldsFragmentDoc = new TypedDocumentString(`
    fragment MethodCurvesFields on MethodCurves {
  roc {
    fpr
    tpr
  }
  prIn {
    precision
    recall
  }
  prOut {
    precision
    recall
  }
}
    `, {"fragmentName":"MethodCurvesFields"}) as unknown as TypedDocumentString<MethodCurvesFieldsFragment, unknown>;
export const DatasetsDocument = new TypedDocumentString(`
    query Datasets($first: Int, $after: String, $kind: DatasetKind) {
  datasets(first: $first, after: $after, kind: $kind) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    edges {
      node {
        id
        name
        kind
        format
        itemCount
        itemShape
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetsQuery, DatasetsQueryVariables>;
export const DatasetDocument = new TypedDocumentString(`
    query Dataset($id: ID!) {
  dataset(id: $id) {
    id
    name
    kind
    format
    itemCount
    itemShape
    labels
    sha256
    sourceSpec
    createdAt
    rejected {
      entry
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetQuery, DatasetQueryVariables>;
export const RegisterDatasetDocument = new TypedDocumentString(`
    mutation RegisterDataset($input: RegisterDatasetInput!) {
  registerDataset(input: $input) {
    id
    name
    itemCount
    rejected {
      entry
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<RegisterDatasetMutation, RegisterDatasetMutationVariables>;
export const CreateSyntheticDatasetDocument = new TypedDocumentString(`
    mutation CreateSyntheticDataset($input: SyntheticDatasetInput!) {
  createSyntheticDataset(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateSyntheticDatasetMutation, CreateSyntheticDatasetMutationVariables>;
export const ModelsDocument = new TypedDocumentString(`
    query Models($first: Int, $after: String) {
  models(first: $first, after: $after) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    edges {
      node {
        id
        name
        sha256
        size
        numClasses
        inputSize
        layout
        odinCompiles
        parameterCount
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelsQuery, ModelsQueryVariables>;
export const ModelDocument = new TypedDocumentString(`
    query Model($id: ID!) {
  model(id: $id) {
    id
    name
    description
    sha256
    size
    createdAt
    inputName
    inputShape
    inputSize
    layout
    outputName
    numClasses
    labels
    mean
    std
    opset
    parameterCount
    odinCompiles
    odinError
    opHistogram {
      op
      count
    }
  }
}
    `) as unknown as TypedDocumentString<ModelQuery, ModelQueryVariables>;
export const InspectUploadDocument = new TypedDocumentString(`
    query InspectUpload($uploadId: ID!) {
  inspectUpload(uploadId: $uploadId) {
    inputName
    inputShape
    inputSize
    layout
    outputName
    numClasses
    labels
    mean
    std
    opset
    parameterCount
    odinCompiles
    odinError
    unsupportedOps
  }
}
    `) as unknown as TypedDocumentString<InspectUploadQuery, InspectUploadQueryVariables>;
export const RegisterModelDocument = new TypedDocumentString(`
    mutation RegisterModel($input: RegisterModelInput!) {
  registerModel(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RegisterModelMutation, RegisterModelMutationVariables>;
export const RunsDocument = new TypedDocumentString(`
    query Runs($first: Int, $after: String, $modelId: ID, $datasetId: ID, $status: RunStatus, $orderBy: RunOrder) {
  runs(
    first: $first
    after: $after
    modelId: $modelId
    datasetId: $datasetId
    status: $status
    orderBy: $orderBy
  ) {
    totalCount
    pageInfo {
      endCursor
      hasNextPage
    }
    edges {
      node {
        ...RunRow
        results {
          outDatasetId
          baseline {
            fprAt95Tpr
            auroc
          }
          odin {
            fprAt95Tpr
            auroc
          }
        }
      }
    }
  }
}
    fragment RunRow on Run {
  id
  status
  progress
  phase
  imagesPerSecond
  createdAt
  startedAt
  finishedAt
  error
  backend
  batchSize
  settings {
    temperature
    epsilon
    search {
      temperatures
      epsilons
      validationCount
    }
  }
  model {
    id
    name
  }
  inDataset {
    id
    name
  }
  outDatasets {
    id
    name
  }
}`) as unknown as TypedDocumentString<RunsQuery, RunsQueryVariables>;
export const RunDocument = new TypedDocumentString(`
    query Run($id: ID!) {
  run(id: $id) {
    ...RunRow
    accuracy
    results {
      outDatasetId
      outDataset {
        id
        name
        itemCount
      }
      temperature
      epsilon
      threshold
      baselineThreshold
      nIn
      nOut
      baseline {
        fprAt95Tpr
        detectionError
        auroc
        auprIn
        auprOut
      }
      odin {
        fprAt95Tpr
        detectionError
        auroc
        auprIn
        auprOut
      }
      curves {
        baseline {
          ...MethodCurvesFields
        }
        odin {
          ...MethodCurvesFields
        }
      }
      histograms {
        baseline {
          edges
          in
          out
        }
        odin {
          edges
          in
          out
        }
      }
    }
  }
}
    fragment RunRow on Run {
  id
  status
  progress
  phase
  imagesPerSecond
  createdAt
  startedAt
  finishedAt
  error
  backend
  batchSize
  settings {
    temperature
    epsilon
    search {
      temperatures
      epsilons
      validationCount
    }
  }
  model {
    id
    name
  }
  inDataset {
    id
    name
  }
  outDatasets {
    id
    name
  }
}
fragment MethodCurvesFields on MethodCurves {
  roc {
    fpr
    tpr
  }
  prIn {
    precision
    recall
  }
  prOut {
    precision
    recall
  }
}`) as unknown as TypedDocumentString<RunQuery, RunQueryVariables>;
export const StartRunDocument = new TypedDocumentString(`
    mutation StartRun($input: StartRunInput!) {
  startRun(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<StartRunMutation, StartRunMutationVariables>;
export const CancelRunDocument = new TypedDocumentString(`
    mutation CancelRun($id: ID!) {
  cancelRun(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<CancelRunMutation, CancelRunMutationVariables>;
export const RerunDocument = new TypedDocumentString(`
    mutation Rerun($id: ID!) {
  rerun(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<RerunMutation, RerunMutationVariables>;
export const PingDocument = new TypedDocumentString(`
    query Ping {
  __typename
}
    `) as unknown as TypedDocumentString<PingQuery, PingQueryVariables>;