// Datasets: GraphQL documents, the query-key factory, queryOptions and mutations.
import { queryOptions } from '@tanstack/react-query';
import { graphql } from '../gql';
import type { DatasetKind, RegisterDatasetInput, SyntheticDatasetInput } from '../gql/graphql';
import { execute } from '../graphql';
import { useInvalidatingMutation } from './mutation';

const DatasetsQuery = graphql(`
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
`);

const DatasetQuery = graphql(`
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
`);

const RegisterDatasetMutation = graphql(`
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
`);

const CreateSyntheticMutation = graphql(`
  mutation CreateSyntheticDataset($input: SyntheticDatasetInput!) {
    createSyntheticDataset(input: $input) {
      id
    }
  }
`);

export const datasetKeys = {
  all: ['datasets'] as const,
  lists: () => [...datasetKeys.all, 'list'] as const,
  list: (filters: { after?: string; kind?: DatasetKind }) => [...datasetKeys.lists(), filters] as const,
  details: () => [...datasetKeys.all, 'detail'] as const,
  detail: (id: string) => [...datasetKeys.details(), id] as const,
};

export const datasetListOptions = (filters: { after?: string; kind?: DatasetKind; first?: number } = {}) =>
  queryOptions({
    queryKey: datasetKeys.list(filters),
    queryFn: () => execute(DatasetsQuery, { first: filters.first ?? 50, after: filters.after, kind: filters.kind }).then((d) => d.datasets),
  });

export const datasetOptions = (id: string) => queryOptions({ queryKey: datasetKeys.detail(id), queryFn: () => execute(DatasetQuery, { id }).then((d) => d.dataset) });

export const useRegisterDataset = () =>
  useInvalidatingMutation((input: RegisterDatasetInput) => execute(RegisterDatasetMutation, { input }).then((d) => d.registerDataset), datasetKeys.lists());

export const useCreateSyntheticDataset = () =>
  useInvalidatingMutation((input: SyntheticDatasetInput) => execute(CreateSyntheticMutation, { input }).then((d) => d.createSyntheticDataset), datasetKeys.lists());
