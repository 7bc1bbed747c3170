// Models: GraphQL documents, the query-key factory, queryOptions and mutations.
import { queryOptions } from '@tanstack/react-query';
import { graphql } from '../gql';
import type { RegisterModelInput } from '../gql/graphql';
import { execute } from '../graphql';
import { useInvalidatingMutation } from './mutation';

const ModelsQuery = graphql(`
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
`);

const ModelQuery = graphql(`
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
`);

const InspectUploadQuery = graphql(`
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
`);

const RegisterModelMutation = graphql(`
  mutation RegisterModel($input: RegisterModelInput!) {
    registerModel(input: $input) {
      id
    }
  }
`);

export const modelKeys = {
  all: ['models'] as const,
  lists: () => [...modelKeys.all, 'list'] as const,
  list: (after?: string) => [...modelKeys.lists(), { after }] as const,
  details: () => [...modelKeys.all, 'detail'] as const,
  detail: (id: string) => [...modelKeys.details(), id] as const,
  inspection: (uploadId: string) => [...modelKeys.all, 'inspection', uploadId] as const,
};

export const modelListOptions = (after?: string, first = 50) =>
  queryOptions({ queryKey: modelKeys.list(after), queryFn: () => execute(ModelsQuery, { first, after }).then((d) => d.models) });

export const modelOptions = (id: string) => queryOptions({ queryKey: modelKeys.detail(id), queryFn: () => execute(ModelQuery, { id }).then((d) => d.model) });

export const inspectUploadOptions = (uploadId: string) =>
  queryOptions({ queryKey: modelKeys.inspection(uploadId), queryFn: () => execute(InspectUploadQuery, { uploadId }).then((d) => d.inspectUpload), retry: false, staleTime: Infinity });

export const useRegisterModel = () => useInvalidatingMutation((input: RegisterModelInput) => execute(RegisterModelMutation, { input }).then((d) => d.registerModel), modelKeys.lists());
