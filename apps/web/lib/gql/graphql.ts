/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
};

export type ApiToken = {
  __typename?: 'ApiToken';
  createdAt: Scalars['DateTime']['output'];
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  /** Kept to the minute. */
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  scopes: Array<TokenScope>;
};

/** Where the worker runs the graph: onnxruntime-node CPU, CUDA or WebGPU. */
export type Backend =
  | 'CPU'
  | 'CUDA'
  | 'WEBGPU';

export type CreateTokenInput = {
  /** e.g. 30d, 12h, 90m, 2w; unset: never expires. */
  expiresIn?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  scopes: Array<TokenScope>;
};

export type CreatedToken = {
  __typename?: 'CreatedToken';
  /** The bearer token. It is shown only here: the API keeps just its hash. */
  secret: Scalars['String']['output'];
  token: ApiToken;
};

export type Dataset = {
  __typename?: 'Dataset';
  createdAt: Scalars['DateTime']['output'];
  /** NPY, IDX, CIFAR, ZIP, TAR, UNIFORM, GAUSSIAN or BUILTIN. */
  format: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  itemCount: Scalars['Int']['output'];
  /** [height, width, channels]. */
  itemShape: Array<Scalars['Int']['output']>;
  kind: DatasetKind;
  labels: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  rejected: Array<RejectedEntry>;
  sha256?: Maybe<Scalars['String']['output']>;
  /** e.g. mnist or uniform:10000:1; for uploads, the imported file inside the dataset folder. */
  sourceSpec: Scalars['String']['output'];
};

export type DatasetConnection = {
  __typename?: 'DatasetConnection';
  edges: Array<DatasetEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type DatasetEdge = {
  __typename?: 'DatasetEdge';
  cursor: Scalars['String']['output'];
  node: Dataset;
};

export type DatasetKind =
  | 'BUILTIN'
  | 'SYNTHETIC'
  | 'UPLOADED';

export type GridCell = {
  __typename?: 'GridCell';
  auroc: Scalars['Float']['output'];
  epsilon: Scalars['Float']['output'];
  fprAt95Tpr: Scalars['Float']['output'];
  temperature: Scalars['Float']['output'];
};

export type HardestSamples = {
  __typename?: 'HardestSamples';
  /** In-distribution images with the lowest ODIN scores (most OOD). */
  inDistribution: Array<ScoredSample>;
  /** OOD images with the highest ODIN scores (most in-distribution). */
  ood: Array<ScoredSample>;
};

export type MetadataEntry = {
  __typename?: 'MetadataEntry';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type MethodCurves = {
  __typename?: 'MethodCurves';
  prIn: PrCurve;
  prOut: PrCurve;
  roc: RocCurve;
};

export type Model = {
  __typename?: 'Model';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  inputName: Scalars['String']['output'];
  /** null marks a dynamic dimension (the batch). */
  inputShape: Array<Maybe<Scalars['Int']['output']>>;
  /** [height, width] the images are fed at. */
  inputSize: Array<Scalars['Int']['output']>;
  labels: Array<Scalars['String']['output']>;
  layout: Scalars['String']['output'];
  mean: Array<Scalars['Float']['output']>;
  name: Scalars['String']['output'];
  numClasses: Scalars['Int']['output'];
  odinCompiles: Scalars['Boolean']['output'];
  odinError?: Maybe<Scalars['String']['output']>;
  opHistogram: Array<OpCount>;
  opset: Scalars['Int']['output'];
  outputName: Scalars['String']['output'];
  parameterCount: Scalars['Float']['output'];
  sha256: Scalars['String']['output'];
  size: Scalars['Float']['output'];
  std: Array<Scalars['Float']['output']>;
};

export type ModelConnection = {
  __typename?: 'ModelConnection';
  edges: Array<ModelEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type ModelEdge = {
  __typename?: 'ModelEdge';
  cursor: Scalars['String']['output'];
  node: Model;
};

/** What an ONNX file takes and returns, and whether ODIN compiles it. */
export type ModelReport = {
  __typename?: 'ModelReport';
  inputName: Scalars['String']['output'];
  /** null marks a dynamic dimension (the batch). */
  inputShape: Array<Maybe<Scalars['Int']['output']>>;
  inputSize: Array<Scalars['Int']['output']>;
  labels: Array<Scalars['String']['output']>;
  layout: Scalars['String']['output'];
  mean: Array<Scalars['Float']['output']>;
  metadata: Array<MetadataEntry>;
  numClasses: Scalars['Int']['output'];
  odinCompiles: Scalars['Boolean']['output'];
  odinError?: Maybe<Scalars['String']['output']>;
  opHistogram: Array<OpCount>;
  opset: Scalars['Int']['output'];
  outputName: Scalars['String']['output'];
  parameterCount: Scalars['Float']['output'];
  std: Array<Scalars['Float']['output']>;
  /** Ops in the model that ODIN has no rule for. */
  unsupportedOps: Array<Scalars['String']['output']>;
  /** Ops of the compiled graph that WebGPU runs on the CPU instead. */
  webgpuFallbacks: Array<Scalars['String']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  cancelRun: Run;
  createSyntheticDataset: Dataset;
  /** Makes a token (admin); its secret is in this answer only. */
  createToken: CreatedToken;
  /** Refuses while runs use the dataset. */
  deleteDataset: Scalars['Boolean']['output'];
  /** Refuses while runs use the model. */
  deleteModel: Scalars['Boolean']['output'];
  /** Refuses while the run is queued or running. */
  deleteRun: Scalars['Boolean']['output'];
  registerDataset: Dataset;
  registerModel: Model;
  /** Starts a new run with the same model, datasets and settings. */
  rerun: Run;
  /** Revokes a token by id (admin); it is refused from then on. */
  revokeToken: ApiToken;
  startRun: Run;
};


export type MutationCancelRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateSyntheticDatasetArgs = {
  input: SyntheticDatasetInput;
};


export type MutationCreateTokenArgs = {
  input: CreateTokenInput;
};


export type MutationDeleteDatasetArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteModelArgs = {
  id: Scalars['ID']['input'];
};


export type MutationDeleteRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRegisterDatasetArgs = {
  input: RegisterDatasetInput;
};


export type MutationRegisterModelArgs = {
  input: RegisterModelInput;
};


export type MutationRerunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeTokenArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStartRunArgs = {
  input: StartRunInput;
};

/** Fractions on [0,1], defined as in docs/metrics.md; in-distribution is the positive class. */
export type OodMetrics = {
  __typename?: 'OodMetrics';
  /** Average precision with in-distribution positive. */
  auprIn: Scalars['Float']['output'];
  /** Average precision with OOD positive (scores negated). */
  auprOut: Scalars['Float']['output'];
  /** Area under the ROC curve, ties counting ½. */
  auroc: Scalars['Float']['output'];
  /** min over t of ½·P(s_in < t) + ½·P(s_out ≥ t). */
  detectionError: Scalars['Float']['output'];
  /** P(s_out ≥ t) at the largest t with P(s_in ≥ t) ≥ 0.95. */
  fprAt95Tpr: Scalars['Float']['output'];
};

export type OpCount = {
  __typename?: 'OpCount';
  count: Scalars['Int']['output'];
  op: Scalars['String']['output'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PrCurve = {
  __typename?: 'PrCurve';
  precision: Array<Scalars['Float']['output']>;
  recall: Array<Scalars['Float']['output']>;
};

export type Query = {
  __typename?: 'Query';
  compareRuns: Array<Run>;
  dataset?: Maybe<Dataset>;
  datasets: DatasetConnection;
  /** Reads an uploaded ONNX file before it is registered, e.g. to pre-fill a form. */
  inspectUpload: ModelReport;
  model?: Maybe<Model>;
  models: ModelConnection;
  /** Poll it to follow a run’s progress. */
  run?: Maybe<Run>;
  runs: RunConnection;
  /** Every token, revoked and expired ones included (admin). */
  tokens: Array<ApiToken>;
};


export type QueryCompareRunsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryDatasetArgs = {
  id: Scalars['ID']['input'];
};


export type QueryDatasetsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<DatasetKind>;
};


export type QueryInspectUploadArgs = {
  uploadId: Scalars['ID']['input'];
};


export type QueryModelArgs = {
  id: Scalars['ID']['input'];
};


export type QueryModelsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryRunArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  modelId?: InputMaybe<Scalars['ID']['input']>;
  orderBy?: InputMaybe<RunOrder>;
  status?: InputMaybe<RunStatus>;
};

export type RegisterDatasetInput = {
  name: Scalars['String']['input'];
  uploadId: Scalars['ID']['input'];
};

export type RegisterModelInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** [height, width]; defaults to the input shape. */
  inputSize?: InputMaybe<Array<Scalars['Int']['input']>>;
  /** Class names; defaults to odin:labels. */
  labels?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Per-channel mean on the [0,1] pixel scale; defaults to the odin:mean metadata, else 0. */
  mean?: InputMaybe<Array<Scalars['Float']['input']>>;
  name: Scalars['String']['input'];
  /** Per-channel std on the [0,1] pixel scale; defaults to odin:std, else 1. */
  std?: InputMaybe<Array<Scalars['Float']['input']>>;
  uploadId: Scalars['ID']['input'];
};

export type RejectedEntry = {
  __typename?: 'RejectedEntry';
  /** The archive entry or item id. */
  entry: Scalars['String']['output'];
  reason: Scalars['String']['output'];
};

export type RocCurve = {
  __typename?: 'RocCurve';
  fpr: Array<Scalars['Float']['output']>;
  /** Accept iff score ≥ threshold; the first is +∞, given as null. */
  thresholds: Array<Maybe<Scalars['Float']['output']>>;
  tpr: Array<Scalars['Float']['output']>;
};

export type Run = {
  __typename?: 'Run';
  /** Top-1 accuracy on the in-distribution images, where they have labels. */
  accuracy?: Maybe<Scalars['Float']['output']>;
  backend: Backend;
  batchSize: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  error?: Maybe<Scalars['String']['output']>;
  /** Seconds left at the current rate of all its workers, while it runs. */
  etaSeconds?: Maybe<Scalars['Float']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The OOD samples scored most in-distribution and the in-distribution ones scored most OOD. */
  hardestSamples: HardestSamples;
  id: Scalars['ID']['output'];
  imagesPerSecond?: Maybe<Scalars['Float']['output']>;
  inDataset: Dataset;
  model: Model;
  outDatasets: Array<Dataset>;
  /** What is running, e.g. "search T=100 …". */
  phase?: Maybe<Scalars['String']['output']>;
  /** A fraction on [0, 1]. */
  progress: Scalars['Float']['output'];
  /** One per OOD set, once the run has succeeded. */
  results: Array<RunResult>;
  settings: RunSettings;
  shards: RunShards;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: RunStatus;
};


export type RunHardestSamplesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  outDatasetId: Scalars['ID']['input'];
};

export type RunConnection = {
  __typename?: 'RunConnection';
  edges: Array<RunEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** Curves downsampled to at most 1000 points, endpoints kept. */
export type RunCurves = {
  __typename?: 'RunCurves';
  baseline: MethodCurves;
  odin: MethodCurves;
};

export type RunEdge = {
  __typename?: 'RunEdge';
  cursor: Scalars['String']['output'];
  node: Run;
};

export type RunHistograms = {
  __typename?: 'RunHistograms';
  baseline: ScoreHistogram;
  odin: ScoreHistogram;
};

export type RunOrder =
  | 'CREATED_AT_ASC'
  | 'CREATED_AT_DESC';

export type RunResult = {
  __typename?: 'RunResult';
  baseline: OodMetrics;
  /** The same for the max-softmax score. */
  baselineThreshold: Scalars['Float']['output'];
  curves: RunCurves;
  epsilon: Scalars['Float']['output'];
  grid?: Maybe<Array<GridCell>>;
  histograms: RunHistograms;
  nIn: Scalars['Int']['output'];
  nOut: Scalars['Int']['output'];
  odin: OodMetrics;
  outDataset: Dataset;
  outDatasetId: Scalars['ID']['output'];
  temperature: Scalars['Float']['output'];
  /** The ODIN score at or above which 95% of the in-distribution set scores (score ≥ threshold means "in"). */
  threshold: Scalars['Float']['output'];
};

export type RunSettings = {
  __typename?: 'RunSettings';
  epsilon?: Maybe<Scalars['Float']['output']>;
  search?: Maybe<SearchSettings>;
  temperature?: Maybe<Scalars['Float']['output']>;
};

/** A run is split into shards that any worker may score; these count them by state. */
export type RunShards = {
  __typename?: 'RunShards';
  done: Scalars['Int']['output'];
  /** Scored by a worker that reported within the last 10 seconds. */
  running: Scalars['Int']['output'];
  /** Taken by a worker that stopped reporting; retried on another worker once its job expires. */
  stalled: Scalars['Int']['output'];
  /** The oldest last report among stalled shards. */
  stalledSince?: Maybe<Scalars['DateTime']['output']>;
  total: Scalars['Int']['output'];
  /** Not yet taken by a worker. */
  waiting: Scalars['Int']['output'];
};

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** Counts of scores per bin; bin i is [edges[i], edges[i+1]), the last bin closed. */
export type ScoreHistogram = {
  __typename?: 'ScoreHistogram';
  edges: Array<Scalars['Float']['output']>;
  in: Array<Scalars['Int']['output']>;
  out: Array<Scalars['Int']['output']>;
};

export type ScoredSample = {
  __typename?: 'ScoredSample';
  datasetId: Scalars['ID']['output'];
  /** Raw position in the dataset (GET /v1/datasets/:id/items/:index.png). */
  index: Scalars['Int']['output'];
  msp: Scalars['Float']['output'];
  odin: Scalars['Float']['output'];
  predictedLabel?: Maybe<Scalars['String']['output']>;
  prediction: Scalars['Int']['output'];
  /** 1 = the hardest. */
  rank: Scalars['Int']['output'];
};

export type SearchInput = {
  /** Default 21 values from 0 to 0.004. */
  epsilons?: InputMaybe<Array<Scalars['Float']['input']>>;
  mode?: SearchMode;
  /** Default 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000; with ID_ONLY one value, default 1000. */
  temperatures?: InputMaybe<Array<Scalars['Float']['input']>>;
  /** Images held out from the start of every set (with ID_ONLY, of the in-distribution set) to tune on (default 1000). */
  validationCount?: InputMaybe<Scalars['Int']['input']>;
};

/** How a search chooses its setting (docs/metrics.md, "Choosing T and ε"). */
export type SearchMode =
  /** T fixed (one temperature), the ε with the highest mean ODIN score on held-out in-distribution images; needs no OOD data, and the OOD sets are tested in full. */
  | 'ID_ONLY'
  /** The (T, ε) with the lowest FPR at 95% TPR on held-out images of the in-distribution and each OOD set, as in the ODIN paper. */
  | 'OOD_VALIDATION';

export type SearchSettings = {
  __typename?: 'SearchSettings';
  epsilons: Array<Scalars['Float']['output']>;
  mode: SearchMode;
  temperatures: Array<Scalars['Float']['output']>;
  /** Images held out from the start of every set to tune on; metrics use the rest. */
  validationCount: Scalars['Int']['output'];
};

export type StartRunInput = {
  /** Default CPU (or the server’s ODIN_BACKEND). */
  backend?: InputMaybe<Backend>;
  /** Default chosen by the server. */
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  /** Default 0.0014. */
  epsilon?: InputMaybe<Scalars['Float']['input']>;
  inDatasetId: Scalars['ID']['input'];
  modelId: Scalars['ID']['input'];
  outDatasetIds: Array<Scalars['ID']['input']>;
  search?: InputMaybe<SearchInput>;
  /** Default 1000. */
  temperature?: InputMaybe<Scalars['Float']['input']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Progress, images/s, ETA and status of one run, from whichever workers do the work, at most about once a second (graphql-ws at /graphql). */
  runUpdated: Run;
};


export type SubscriptionRunUpdatedArgs = {
  id: Scalars['ID']['input'];
};

export type SyntheticDatasetInput = {
  count: Scalars['Int']['input'];
  kind: SyntheticKind;
  /** A model or dataset whose item shape the noise copies (default 28×28×1). */
  like?: InputMaybe<Scalars['ID']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  seed?: InputMaybe<Scalars['Int']['input']>;
};

/** UNIFORM: U[0,1) pixels; GAUSSIAN: N(0.5, 1) clamped to [0,1]. */
export type SyntheticKind =
  | 'GAUSSIAN'
  | 'UNIFORM';

/** READ: queries and file downloads; WRITE: uploads and mutations; WORKER: blob downloads for standalone workers; ADMIN: managing tokens. */
export type TokenScope =
  | 'ADMIN'
  | 'READ'
  | 'WORKER'
  | 'WRITE';

export type DatasetsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  kind?: InputMaybe<DatasetKind>;
}>;


export type DatasetsQuery = { __typename?: 'Query', datasets: { __typename?: 'DatasetConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', endCursor?: string | null, hasNextPage: boolean }, edges: Array<{ __typename?: 'DatasetEdge', node: { __typename?: 'Dataset', id: string, name: string, kind: DatasetKind, format: string, itemCount: number, itemShape: Array<number>, createdAt: string } }> } };

export type DatasetQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DatasetQuery = { __typename?: 'Query', dataset?: { __typename?: 'Dataset', id: string, name: string, kind: DatasetKind, format: string, itemCount: number, itemShape: Array<number>, labels: Array<string>, sha256?: string | null, sourceSpec: string, createdAt: string, rejected: Array<{ __typename?: 'RejectedEntry', entry: string, reason: string }> } | null };

export type RegisterDatasetMutationVariables = Exact<{
  input: RegisterDatasetInput;
}>;


export type RegisterDatasetMutation = { __typename?: 'Mutation', registerDataset: { __typename?: 'Dataset', id: string, name: string, itemCount: number, rejected: Array<{ __typename?: 'RejectedEntry', entry: string, reason: string }> } };

export type CreateSyntheticDatasetMutationVariables = Exact<{
  input: SyntheticDatasetInput;
}>;


export type CreateSyntheticDatasetMutation = { __typename?: 'Mutation', createSyntheticDataset: { __typename?: 'Dataset', id: string } };

export type ModelsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ModelsQuery = { __typename?: 'Query', models: { __typename?: 'ModelConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', endCursor?: string | null, hasNextPage: boolean }, edges: Array<{ __typename?: 'ModelEdge', node: { __typename?: 'Model', id: string, name: string, sha256: string, size: number, numClasses: number, inputSize: Array<number>, layout: string, odinCompiles: boolean, parameterCount: number, createdAt: string } }> } };

export type ModelQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ModelQuery = { __typename?: 'Query', model?: { __typename?: 'Model', id: string, name: string, description?: string | null, sha256: string, size: number, createdAt: string, inputName: string, inputShape: Array<number | null>, inputSize: Array<number>, layout: string, outputName: string, numClasses: number, labels: Array<string>, mean: Array<number>, std: Array<number>, opset: number, parameterCount: number, odinCompiles: boolean, odinError?: string | null, opHistogram: Array<{ __typename?: 'OpCount', op: string, count: number }> } | null };

export type InspectUploadQueryVariables = Exact<{
  uploadId: Scalars['ID']['input'];
}>;


export type InspectUploadQuery = { __typename?: 'Query', inspectUpload: { __typename?: 'ModelReport', inputName: string, inputShape: Array<number | null>, inputSize: Array<number>, layout: string, outputName: string, numClasses: number, labels: Array<string>, mean: Array<number>, std: Array<number>, opset: number, parameterCount: number, odinCompiles: boolean, odinError?: string | null, unsupportedOps: Array<string> } };

export type RegisterModelMutationVariables = Exact<{
  input: RegisterModelInput;
}>;


export type RegisterModelMutation = { __typename?: 'Mutation', registerModel: { __typename?: 'Model', id: string } };

export type RunRowFragment = { __typename?: 'Run', id: string, status: RunStatus, progress: number, phase?: string | null, imagesPerSecond?: number | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, backend: Backend, batchSize: number, settings: { __typename?: 'RunSettings', temperature?: number | null, epsilon?: number | null, search?: { __typename?: 'SearchSettings', mode: SearchMode, temperatures: Array<number>, epsilons: Array<number>, validationCount: number } | null }, model: { __typename?: 'Model', id: string, name: string }, inDataset: { __typename?: 'Dataset', id: string, name: string }, outDatasets: Array<{ __typename?: 'Dataset', id: string, name: string }> };

export type RunsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  modelId?: InputMaybe<Scalars['ID']['input']>;
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<RunStatus>;
  orderBy?: InputMaybe<RunOrder>;
}>;


export type RunsQuery = { __typename?: 'Query', runs: { __typename?: 'RunConnection', totalCount: number, pageInfo: { __typename?: 'PageInfo', endCursor?: string | null, hasNextPage: boolean }, edges: Array<{ __typename?: 'RunEdge', node: { __typename?: 'Run', id: string, status: RunStatus, progress: number, phase?: string | null, imagesPerSecond?: number | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, backend: Backend, batchSize: number, results: Array<{ __typename?: 'RunResult', outDatasetId: string, baseline: { __typename?: 'OodMetrics', fprAt95Tpr: number, auroc: number }, odin: { __typename?: 'OodMetrics', fprAt95Tpr: number, auroc: number } }>, settings: { __typename?: 'RunSettings', temperature?: number | null, epsilon?: number | null, search?: { __typename?: 'SearchSettings', mode: SearchMode, temperatures: Array<number>, epsilons: Array<number>, validationCount: number } | null }, model: { __typename?: 'Model', id: string, name: string }, inDataset: { __typename?: 'Dataset', id: string, name: string }, outDatasets: Array<{ __typename?: 'Dataset', id: string, name: string }> } }> } };

export type RunQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RunQuery = { __typename?: 'Query', run?: { __typename?: 'Run', accuracy?: number | null, id: string, status: RunStatus, progress: number, phase?: string | null, imagesPerSecond?: number | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, backend: Backend, batchSize: number, shards: { __typename?: 'RunShards', total: number, waiting: number, running: number, stalled: number, done: number, stalledSince?: string | null }, results: Array<{ __typename?: 'RunResult', outDatasetId: string, temperature: number, epsilon: number, threshold: number, baselineThreshold: number, nIn: number, nOut: number, outDataset: { __typename?: 'Dataset', id: string, name: string, itemCount: number }, grid?: Array<{ __typename?: 'GridCell', temperature: number, epsilon: number, fprAt95Tpr: number, auroc: number }> | null, baseline: { __typename?: 'OodMetrics', fprAt95Tpr: number, detectionError: number, auroc: number, auprIn: number, auprOut: number }, odin: { __typename?: 'OodMetrics', fprAt95Tpr: number, detectionError: number, auroc: number, auprIn: number, auprOut: number }, curves: { __typename?: 'RunCurves', baseline: { __typename?: 'MethodCurves', roc: { __typename?: 'RocCurve', fpr: Array<number>, tpr: Array<number> }, prIn: { __typename?: 'PrCurve', precision: Array<number>, recall: Array<number> }, prOut: { __typename?: 'PrCurve', precision: Array<number>, recall: Array<number> } }, odin: { __typename?: 'MethodCurves', roc: { __typename?: 'RocCurve', fpr: Array<number>, tpr: Array<number> }, prIn: { __typename?: 'PrCurve', precision: Array<number>, recall: Array<number> }, prOut: { __typename?: 'PrCurve', precision: Array<number>, recall: Array<number> } } }, histograms: { __typename?: 'RunHistograms', baseline: { __typename?: 'ScoreHistogram', edges: Array<number>, in: Array<number>, out: Array<number> }, odin: { __typename?: 'ScoreHistogram', edges: Array<number>, in: Array<number>, out: Array<number> } } }>, settings: { __typename?: 'RunSettings', temperature?: number | null, epsilon?: number | null, search?: { __typename?: 'SearchSettings', mode: SearchMode, temperatures: Array<number>, epsilons: Array<number>, validationCount: number } | null }, model: { __typename?: 'Model', id: string, name: string }, inDataset: { __typename?: 'Dataset', id: string, name: string }, outDatasets: Array<{ __typename?: 'Dataset', id: string, name: string }> } | null };

export type MethodCurvesFieldsFragment = { __typename?: 'MethodCurves', roc: { __typename?: 'RocCurve', fpr: Array<number>, tpr: Array<number> }, prIn: { __typename?: 'PrCurve', precision: Array<number>, recall: Array<number> }, prOut: { __typename?: 'PrCurve', precision: Array<number>, recall: Array<number> } };

export type HardestQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  outDatasetId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type HardestQuery = { __typename?: 'Query', run?: { __typename?: 'Run', id: string, hardestSamples: { __typename?: 'HardestSamples', inDistribution: Array<{ __typename?: 'ScoredSample', datasetId: string, index: number, rank: number, msp: number, odin: number, prediction: number, predictedLabel?: string | null }>, ood: Array<{ __typename?: 'ScoredSample', datasetId: string, index: number, rank: number, msp: number, odin: number, prediction: number, predictedLabel?: string | null }> } } | null };

export type ScoredFragment = { __typename?: 'ScoredSample', datasetId: string, index: number, rank: number, msp: number, odin: number, prediction: number, predictedLabel?: string | null };

export type CompareQueryVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type CompareQuery = { __typename?: 'Query', compareRuns: Array<{ __typename?: 'Run', id: string, status: RunStatus, progress: number, phase?: string | null, imagesPerSecond?: number | null, createdAt: string, startedAt?: string | null, finishedAt?: string | null, error?: string | null, backend: Backend, batchSize: number, results: Array<{ __typename?: 'RunResult', outDatasetId: string, temperature: number, epsilon: number, outDataset: { __typename?: 'Dataset', id: string, name: string }, baseline: { __typename?: 'OodMetrics', fprAt95Tpr: number, detectionError: number, auroc: number, auprIn: number, auprOut: number }, odin: { __typename?: 'OodMetrics', fprAt95Tpr: number, detectionError: number, auroc: number, auprIn: number, auprOut: number }, curves: { __typename?: 'RunCurves', odin: { __typename?: 'MethodCurves', roc: { __typename?: 'RocCurve', fpr: Array<number>, tpr: Array<number> } } } }>, settings: { __typename?: 'RunSettings', temperature?: number | null, epsilon?: number | null, search?: { __typename?: 'SearchSettings', mode: SearchMode, temperatures: Array<number>, epsilons: Array<number>, validationCount: number } | null }, model: { __typename?: 'Model', id: string, name: string }, inDataset: { __typename?: 'Dataset', id: string, name: string }, outDatasets: Array<{ __typename?: 'Dataset', id: string, name: string }> }> };

export type StartRunMutationVariables = Exact<{
  input: StartRunInput;
}>;


export type StartRunMutation = { __typename?: 'Mutation', startRun: { __typename?: 'Run', id: string } };

export type CancelRunMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelRunMutation = { __typename?: 'Mutation', cancelRun: { __typename?: 'Run', id: string, status: RunStatus } };

export type RerunMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RerunMutation = { __typename?: 'Mutation', rerun: { __typename?: 'Run', id: string } };

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
      mode
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
export const ScoredFragmentDoc = new TypedDocumentString(`
    fragment Scored on ScoredSample {
  datasetId
  index
  rank
  msp
  odin
  prediction
  predictedLabel
}
    `, {"fragmentName":"Scored"}) as unknown as TypedDocumentString<ScoredFragment, unknown>;
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
      mode
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
    shards {
      total
      waiting
      running
      stalled
      done
      stalledSince
    }
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
      grid {
        temperature
        epsilon
        fprAt95Tpr
        auroc
      }
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
      mode
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
export const HardestDocument = new TypedDocumentString(`
    query Hardest($id: ID!, $outDatasetId: ID!, $first: Int) {
  run(id: $id) {
    id
    hardestSamples(outDatasetId: $outDatasetId, first: $first) {
      inDistribution {
        ...Scored
      }
      ood {
        ...Scored
      }
    }
  }
}
    fragment Scored on ScoredSample {
  datasetId
  index
  rank
  msp
  odin
  prediction
  predictedLabel
}`) as unknown as TypedDocumentString<HardestQuery, HardestQueryVariables>;
export const CompareDocument = new TypedDocumentString(`
    query Compare($ids: [ID!]!) {
  compareRuns(ids: $ids) {
    ...RunRow
    results {
      outDatasetId
      outDataset {
        id
        name
      }
      temperature
      epsilon
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
        odin {
          roc {
            fpr
            tpr
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
      mode
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
}`) as unknown as TypedDocumentString<CompareQuery, CompareQueryVariables>;
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