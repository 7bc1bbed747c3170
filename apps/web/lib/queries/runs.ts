// Runs: GraphQL documents, the query-key factory, queryOptions and mutations.
import { queryOptions } from '@tanstack/react-query';
import { graphql } from '../gql';
import type { RunStatus, StartRunInput } from '../gql/graphql';
import { ApiError, execute, type Executor } from '../graphql';
import { parseScoresCsv } from '../scores';
import { useInvalidatingMutation } from './mutation';

export const RunRowFragment = graphql(`
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
`);

const RunsQuery = graphql(`
  query Runs($first: Int, $after: String, $modelId: ID, $datasetId: ID, $status: RunStatus, $orderBy: RunOrder) {
    runs(first: $first, after: $after, modelId: $modelId, datasetId: $datasetId, status: $status, orderBy: $orderBy) {
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
`);

const RunQuery = graphql(`
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
`);

const HardestQuery = graphql(`
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
  }
`);

const CompareQuery = graphql(`
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
`);

const StartRunMutation = graphql(`
  mutation StartRun($input: StartRunInput!) {
    startRun(input: $input) {
      id
    }
  }
`);

const CancelRunMutation = graphql(`
  mutation CancelRun($id: ID!) {
    cancelRun(id: $id) {
      id
      status
    }
  }
`);

const RerunMutation = graphql(`
  mutation Rerun($id: ID!) {
    rerun(id: $id) {
      id
    }
  }
`);

export interface RunFilters {
  modelId?: string;
  datasetId?: string;
  status?: RunStatus;
  after?: string;
  order?: 'asc' | 'desc';
  first?: number;
}

export const runKeys = {
  all: ['runs'] as const,
  lists: () => [...runKeys.all, 'list'] as const,
  list: (filters: RunFilters) => [...runKeys.lists(), filters] as const,
  details: () => [...runKeys.all, 'detail'] as const,
  detail: (id: string) => [...runKeys.details(), id] as const,
  hardest: (id: string, outDatasetId: string) => [...runKeys.detail(id), 'hardest', outDatasetId] as const,
  scores: (id: string) => [...runKeys.detail(id), 'scores'] as const,
  compare: (ids: string[]) => [...runKeys.all, 'compare', ids] as const,
};

export const isActive = (status: RunStatus | undefined) => status === 'QUEUED' || status === 'RUNNING';

export const RUNS_PAGE_SIZE = 25;

/** The list's filters as the URL holds them (`/runs?model=…&dataset=…&status=…&order=asc&after=…`). */
export function runFiltersFrom(params: { get(name: string): string | null }): RunFilters {
  return {
    modelId: params.get('model') ?? undefined,
    datasetId: params.get('dataset') ?? undefined,
    status: (params.get('status') as RunStatus | null) ?? undefined,
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    after: params.get('after') ?? undefined,
    first: RUNS_PAGE_SIZE,
  };
}

/** `exec` is the browser's executor unless a server component prefetches with its own. */
export const runListOptions = (filters: RunFilters, exec: Executor = execute) =>
  queryOptions({
    queryKey: runKeys.list(filters),
    queryFn: () =>
      exec(RunsQuery, {
        first: filters.first ?? 25,
        after: filters.after,
        modelId: filters.modelId,
        datasetId: filters.datasetId,
        status: filters.status,
        orderBy: filters.order === 'asc' ? 'CREATED_AT_ASC' : 'CREATED_AT_DESC',
      }).then((d) => d.runs),
    refetchInterval: (query) => (query.state.data?.edges.some((e) => isActive(e.node.status)) ? 1000 : false),
  });

export const runOptions = (id: string, exec: Executor = execute) =>
  queryOptions({
    queryKey: runKeys.detail(id),
    queryFn: () => exec(RunQuery, { id }).then((d) => d.run),
    refetchInterval: (query) => (isActive(query.state.data?.status) ? 1000 : false),
  });

export const HARDEST_COUNT = 12;

export const hardestOptions = (id: string, outDatasetId: string) =>
  queryOptions({
    queryKey: runKeys.hardest(id, outDatasetId),
    queryFn: () => execute(HardestQuery, { id, outDatasetId, first: HARDEST_COUNT }).then((d) => d.run?.hardestSamples ?? null),
    staleTime: Infinity,
  });

/** The per-sample scores of a finished run, from the API's scores CSV, sorted per dataset. */
export const scoresOptions = (id: string) =>
  queryOptions({
    queryKey: runKeys.scores(id),
    queryFn: async () => {
      const response = await fetch(`/v1/runs/${encodeURIComponent(id)}/scores.csv`).catch(() => {
        throw new ApiError('The dashboard cannot reach its server.', 'UNREACHABLE');
      });
      if (!response.ok) throw new ApiError(`The API answered ${response.status} for the run's scores.`, response.status === 502 ? 'UNREACHABLE' : 'BAD_RESPONSE', response.status);
      return parseScoresCsv(await response.text());
    },
    staleTime: Infinity,
  });

export const compareOptions = (ids: string[]) => queryOptions({ queryKey: runKeys.compare(ids), queryFn: () => execute(CompareQuery, { ids }).then((d) => d.compareRuns) });

export const useStartRun = () => useInvalidatingMutation((input: StartRunInput) => execute(StartRunMutation, { input }).then((d) => d.startRun), runKeys.lists());

export const useCancelRun = () => useInvalidatingMutation((id: string) => execute(CancelRunMutation, { id }).then((d) => d.cancelRun), runKeys.all);

export const useRerun = () => useInvalidatingMutation((id: string) => execute(RerunMutation, { id }).then((d) => d.rerun), runKeys.lists());
