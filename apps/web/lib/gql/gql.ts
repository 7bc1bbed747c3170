/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Datasets($first: Int, $after: String, $kind: DatasetKind) {\n    datasets(first: $first, after: $after, kind: $kind) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          name\n          kind\n          format\n          itemCount\n          itemShape\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.DatasetsDocument,
    "\n  query Dataset($id: ID!) {\n    dataset(id: $id) {\n      id\n      name\n      kind\n      format\n      itemCount\n      itemShape\n      labels\n      sha256\n      sourceSpec\n      createdAt\n      rejected {\n        entry\n        reason\n      }\n    }\n  }\n": typeof types.DatasetDocument,
    "\n  mutation RegisterDataset($input: RegisterDatasetInput!) {\n    registerDataset(input: $input) {\n      id\n      name\n      itemCount\n      rejected {\n        entry\n        reason\n      }\n    }\n  }\n": typeof types.RegisterDatasetDocument,
    "\n  mutation CreateSyntheticDataset($input: SyntheticDatasetInput!) {\n    createSyntheticDataset(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateSyntheticDatasetDocument,
    "\n  query Models($first: Int, $after: String) {\n    models(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          name\n          sha256\n          size\n          numClasses\n          inputSize\n          layout\n          odinCompiles\n          parameterCount\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.ModelsDocument,
    "\n  query Model($id: ID!) {\n    model(id: $id) {\n      id\n      name\n      description\n      sha256\n      size\n      createdAt\n      inputName\n      inputShape\n      inputSize\n      layout\n      outputName\n      numClasses\n      labels\n      mean\n      std\n      opset\n      parameterCount\n      odinCompiles\n      odinError\n      opHistogram {\n        op\n        count\n      }\n    }\n  }\n": typeof types.ModelDocument,
    "\n  query InspectUpload($uploadId: ID!) {\n    inspectUpload(uploadId: $uploadId) {\n      inputName\n      inputShape\n      inputSize\n      layout\n      outputName\n      numClasses\n      labels\n      mean\n      std\n      opset\n      parameterCount\n      odinCompiles\n      odinError\n      unsupportedOps\n    }\n  }\n": typeof types.InspectUploadDocument,
    "\n  mutation RegisterModel($input: RegisterModelInput!) {\n    registerModel(input: $input) {\n      id\n    }\n  }\n": typeof types.RegisterModelDocument,
    "\n  fragment RunRow on Run {\n    id\n    status\n    progress\n    phase\n    imagesPerSecond\n    createdAt\n    startedAt\n    finishedAt\n    error\n    backend\n    batchSize\n    settings {\n      temperature\n      epsilon\n      search {\n        mode\n        temperatures\n        epsilons\n        validationCount\n      }\n    }\n    model {\n      id\n      name\n    }\n    inDataset {\n      id\n      name\n    }\n    outDatasets {\n      id\n      name\n    }\n  }\n": typeof types.RunRowFragmentDoc,
    "\n  query Runs($first: Int, $after: String, $modelId: ID, $datasetId: ID, $status: RunStatus, $orderBy: RunOrder) {\n    runs(first: $first, after: $after, modelId: $modelId, datasetId: $datasetId, status: $status, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          ...RunRow\n          results {\n            outDatasetId\n            baseline {\n              fprAt95Tpr\n              auroc\n            }\n            odin {\n              fprAt95Tpr\n              auroc\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.RunsDocument,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      ...RunRow\n      accuracy\n      shards {\n        total\n        waiting\n        running\n        stalled\n        done\n        stalledSince\n      }\n      results {\n        outDatasetId\n        outDataset {\n          id\n          name\n          itemCount\n        }\n        temperature\n        epsilon\n        threshold\n        baselineThreshold\n        nIn\n        nOut\n        grid {\n          temperature\n          epsilon\n          fprAt95Tpr\n          auroc\n        }\n        baseline {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        odin {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        curves {\n          baseline {\n            ...MethodCurvesFields\n          }\n          odin {\n            ...MethodCurvesFields\n          }\n        }\n        histograms {\n          baseline {\n            edges\n            in\n            out\n          }\n          odin {\n            edges\n            in\n            out\n          }\n        }\n      }\n    }\n  }\n\n  fragment MethodCurvesFields on MethodCurves {\n    roc {\n      fpr\n      tpr\n    }\n    prIn {\n      precision\n      recall\n    }\n    prOut {\n      precision\n      recall\n    }\n  }\n": typeof types.RunDocument,
    "\n  query Hardest($id: ID!, $outDatasetId: ID!, $first: Int) {\n    run(id: $id) {\n      id\n      hardestSamples(outDatasetId: $outDatasetId, first: $first) {\n        inDistribution {\n          ...Scored\n        }\n        ood {\n          ...Scored\n        }\n      }\n    }\n  }\n\n  fragment Scored on ScoredSample {\n    datasetId\n    index\n    rank\n    msp\n    odin\n    prediction\n    predictedLabel\n  }\n": typeof types.HardestDocument,
    "\n  query Compare($ids: [ID!]!) {\n    compareRuns(ids: $ids) {\n      ...RunRow\n      results {\n        outDatasetId\n        outDataset {\n          id\n          name\n        }\n        temperature\n        epsilon\n        baseline {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        odin {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        curves {\n          odin {\n            roc {\n              fpr\n              tpr\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CompareDocument,
    "\n  mutation StartRun($input: StartRunInput!) {\n    startRun(input: $input) {\n      id\n    }\n  }\n": typeof types.StartRunDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  mutation Rerun($id: ID!) {\n    rerun(id: $id) {\n      id\n    }\n  }\n": typeof types.RerunDocument,
    "\n  query Ping {\n    __typename\n  }\n": typeof types.PingDocument,
};
const documents: Documents = {
    "\n  query Datasets($first: Int, $after: String, $kind: DatasetKind) {\n    datasets(first: $first, after: $after, kind: $kind) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          name\n          kind\n          format\n          itemCount\n          itemShape\n          createdAt\n        }\n      }\n    }\n  }\n": types.DatasetsDocument,
    "\n  query Dataset($id: ID!) {\n    dataset(id: $id) {\n      id\n      name\n      kind\n      format\n      itemCount\n      itemShape\n      labels\n      sha256\n      sourceSpec\n      createdAt\n      rejected {\n        entry\n        reason\n      }\n    }\n  }\n": types.DatasetDocument,
    "\n  mutation RegisterDataset($input: RegisterDatasetInput!) {\n    registerDataset(input: $input) {\n      id\n      name\n      itemCount\n      rejected {\n        entry\n        reason\n      }\n    }\n  }\n": types.RegisterDatasetDocument,
    "\n  mutation CreateSyntheticDataset($input: SyntheticDatasetInput!) {\n    createSyntheticDataset(input: $input) {\n      id\n    }\n  }\n": types.CreateSyntheticDatasetDocument,
    "\n  query Models($first: Int, $after: String) {\n    models(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          name\n          sha256\n          size\n          numClasses\n          inputSize\n          layout\n          odinCompiles\n          parameterCount\n          createdAt\n        }\n      }\n    }\n  }\n": types.ModelsDocument,
    "\n  query Model($id: ID!) {\n    model(id: $id) {\n      id\n      name\n      description\n      sha256\n      size\n      createdAt\n      inputName\n      inputShape\n      inputSize\n      layout\n      outputName\n      numClasses\n      labels\n      mean\n      std\n      opset\n      parameterCount\n      odinCompiles\n      odinError\n      opHistogram {\n        op\n        count\n      }\n    }\n  }\n": types.ModelDocument,
    "\n  query InspectUpload($uploadId: ID!) {\n    inspectUpload(uploadId: $uploadId) {\n      inputName\n      inputShape\n      inputSize\n      layout\n      outputName\n      numClasses\n      labels\n      mean\n      std\n      opset\n      parameterCount\n      odinCompiles\n      odinError\n      unsupportedOps\n    }\n  }\n": types.InspectUploadDocument,
    "\n  mutation RegisterModel($input: RegisterModelInput!) {\n    registerModel(input: $input) {\n      id\n    }\n  }\n": types.RegisterModelDocument,
    "\n  fragment RunRow on Run {\n    id\n    status\n    progress\n    phase\n    imagesPerSecond\n    createdAt\n    startedAt\n    finishedAt\n    error\n    backend\n    batchSize\n    settings {\n      temperature\n      epsilon\n      search {\n        mode\n        temperatures\n        epsilons\n        validationCount\n      }\n    }\n    model {\n      id\n      name\n    }\n    inDataset {\n      id\n      name\n    }\n    outDatasets {\n      id\n      name\n    }\n  }\n": types.RunRowFragmentDoc,
    "\n  query Runs($first: Int, $after: String, $modelId: ID, $datasetId: ID, $status: RunStatus, $orderBy: RunOrder) {\n    runs(first: $first, after: $after, modelId: $modelId, datasetId: $datasetId, status: $status, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          ...RunRow\n          results {\n            outDatasetId\n            baseline {\n              fprAt95Tpr\n              auroc\n            }\n            odin {\n              fprAt95Tpr\n              auroc\n            }\n          }\n        }\n      }\n    }\n  }\n": types.RunsDocument,
    "\n  query Run($id: ID!) {\n    run(id: $id) {\n      ...RunRow\n      accuracy\n      shards {\n        total\n        waiting\n        running\n        stalled\n        done\n        stalledSince\n      }\n      results {\n        outDatasetId\n        outDataset {\n          id\n          name\n          itemCount\n        }\n        temperature\n        epsilon\n        threshold\n        baselineThreshold\n        nIn\n        nOut\n        grid {\n          temperature\n          epsilon\n          fprAt95Tpr\n          auroc\n        }\n        baseline {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        odin {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        curves {\n          baseline {\n            ...MethodCurvesFields\n          }\n          odin {\n            ...MethodCurvesFields\n          }\n        }\n        histograms {\n          baseline {\n            edges\n            in\n            out\n          }\n          odin {\n            edges\n            in\n            out\n          }\n        }\n      }\n    }\n  }\n\n  fragment MethodCurvesFields on MethodCurves {\n    roc {\n      fpr\n      tpr\n    }\n    prIn {\n      precision\n      recall\n    }\n    prOut {\n      precision\n      recall\n    }\n  }\n": types.RunDocument,
    "\n  query Hardest($id: ID!, $outDatasetId: ID!, $first: Int) {\n    run(id: $id) {\n      id\n      hardestSamples(outDatasetId: $outDatasetId, first: $first) {\n        inDistribution {\n          ...Scored\n        }\n        ood {\n          ...Scored\n        }\n      }\n    }\n  }\n\n  fragment Scored on ScoredSample {\n    datasetId\n    index\n    rank\n    msp\n    odin\n    prediction\n    predictedLabel\n  }\n": types.HardestDocument,
    "\n  query Compare($ids: [ID!]!) {\n    compareRuns(ids: $ids) {\n      ...RunRow\n      results {\n        outDatasetId\n        outDataset {\n          id\n          name\n        }\n        temperature\n        epsilon\n        baseline {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        odin {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        curves {\n          odin {\n            roc {\n              fpr\n              tpr\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CompareDocument,
    "\n  mutation StartRun($input: StartRunInput!) {\n    startRun(input: $input) {\n      id\n    }\n  }\n": types.StartRunDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n    }\n  }\n": types.CancelRunDocument,
    "\n  mutation Rerun($id: ID!) {\n    rerun(id: $id) {\n      id\n    }\n  }\n": types.RerunDocument,
    "\n  query Ping {\n    __typename\n  }\n": types.PingDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Datasets($first: Int, $after: String, $kind: DatasetKind) {\n    datasets(first: $first, after: $after, kind: $kind) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          name\n          kind\n          format\n          itemCount\n          itemShape\n          createdAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DatasetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dataset($id: ID!) {\n    dataset(id: $id) {\n      id\n      name\n      kind\n      format\n      itemCount\n      itemShape\n      labels\n      sha256\n      sourceSpec\n      createdAt\n      rejected {\n        entry\n        reason\n      }\n    }\n  }\n"): typeof import('./graphql').DatasetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterDataset($input: RegisterDatasetInput!) {\n    registerDataset(input: $input) {\n      id\n      name\n      itemCount\n      rejected {\n        entry\n        reason\n      }\n    }\n  }\n"): typeof import('./graphql').RegisterDatasetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSyntheticDataset($input: SyntheticDatasetInput!) {\n    createSyntheticDataset(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').CreateSyntheticDatasetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Models($first: Int, $after: String) {\n    models(first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          id\n          name\n          sha256\n          size\n          numClasses\n          inputSize\n          layout\n          odinCompiles\n          parameterCount\n          createdAt\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Model($id: ID!) {\n    model(id: $id) {\n      id\n      name\n      description\n      sha256\n      size\n      createdAt\n      inputName\n      inputShape\n      inputSize\n      layout\n      outputName\n      numClasses\n      labels\n      mean\n      std\n      opset\n      parameterCount\n      odinCompiles\n      odinError\n      opHistogram {\n        op\n        count\n      }\n    }\n  }\n"): typeof import('./graphql').ModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InspectUpload($uploadId: ID!) {\n    inspectUpload(uploadId: $uploadId) {\n      inputName\n      inputShape\n      inputSize\n      layout\n      outputName\n      numClasses\n      labels\n      mean\n      std\n      opset\n      parameterCount\n      odinCompiles\n      odinError\n      unsupportedOps\n    }\n  }\n"): typeof import('./graphql').InspectUploadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterModel($input: RegisterModelInput!) {\n    registerModel(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').RegisterModelDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunRow on Run {\n    id\n    status\n    progress\n    phase\n    imagesPerSecond\n    createdAt\n    startedAt\n    finishedAt\n    error\n    backend\n    batchSize\n    settings {\n      temperature\n      epsilon\n      search {\n        mode\n        temperatures\n        epsilons\n        validationCount\n      }\n    }\n    model {\n      id\n      name\n    }\n    inDataset {\n      id\n      name\n    }\n    outDatasets {\n      id\n      name\n    }\n  }\n"): typeof import('./graphql').RunRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Runs($first: Int, $after: String, $modelId: ID, $datasetId: ID, $status: RunStatus, $orderBy: RunOrder) {\n    runs(first: $first, after: $after, modelId: $modelId, datasetId: $datasetId, status: $status, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        endCursor\n        hasNextPage\n      }\n      edges {\n        node {\n          ...RunRow\n          results {\n            outDatasetId\n            baseline {\n              fprAt95Tpr\n              auroc\n            }\n            odin {\n              fprAt95Tpr\n              auroc\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').RunsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Run($id: ID!) {\n    run(id: $id) {\n      ...RunRow\n      accuracy\n      shards {\n        total\n        waiting\n        running\n        stalled\n        done\n        stalledSince\n      }\n      results {\n        outDatasetId\n        outDataset {\n          id\n          name\n          itemCount\n        }\n        temperature\n        epsilon\n        threshold\n        baselineThreshold\n        nIn\n        nOut\n        grid {\n          temperature\n          epsilon\n          fprAt95Tpr\n          auroc\n        }\n        baseline {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        odin {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        curves {\n          baseline {\n            ...MethodCurvesFields\n          }\n          odin {\n            ...MethodCurvesFields\n          }\n        }\n        histograms {\n          baseline {\n            edges\n            in\n            out\n          }\n          odin {\n            edges\n            in\n            out\n          }\n        }\n      }\n    }\n  }\n\n  fragment MethodCurvesFields on MethodCurves {\n    roc {\n      fpr\n      tpr\n    }\n    prIn {\n      precision\n      recall\n    }\n    prOut {\n      precision\n      recall\n    }\n  }\n"): typeof import('./graphql').RunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Hardest($id: ID!, $outDatasetId: ID!, $first: Int) {\n    run(id: $id) {\n      id\n      hardestSamples(outDatasetId: $outDatasetId, first: $first) {\n        inDistribution {\n          ...Scored\n        }\n        ood {\n          ...Scored\n        }\n      }\n    }\n  }\n\n  fragment Scored on ScoredSample {\n    datasetId\n    index\n    rank\n    msp\n    odin\n    prediction\n    predictedLabel\n  }\n"): typeof import('./graphql').HardestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Compare($ids: [ID!]!) {\n    compareRuns(ids: $ids) {\n      ...RunRow\n      results {\n        outDatasetId\n        outDataset {\n          id\n          name\n        }\n        temperature\n        epsilon\n        baseline {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        odin {\n          fprAt95Tpr\n          detectionError\n          auroc\n          auprIn\n          auprOut\n        }\n        curves {\n          odin {\n            roc {\n              fpr\n              tpr\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').CompareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartRun($input: StartRunInput!) {\n    startRun(input: $input) {\n      id\n    }\n  }\n"): typeof import('./graphql').StartRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').CancelRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Rerun($id: ID!) {\n    rerun(id: $id) {\n      id\n    }\n  }\n"): typeof import('./graphql').RerunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Ping {\n    __typename\n  }\n"): typeof import('./graphql').PingDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
