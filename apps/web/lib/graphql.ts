// The one GraphQL client: POSTs a typed document to the app's own /graphql (the proxy adds the token) and throws ApiError.
import type { TypedDocumentString } from './gql/graphql';

/** An error the API returned (with its extensions.code) or a failure to reach it (code UNREACHABLE). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Runs a typed document against a GraphQL endpoint; the browser's is the app's own /graphql, the server's the API itself. */
export type Executor = <TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables?: TVariables) => Promise<TResult>;

export function executorFor(url: string, headers: Record<string, string> = {}): Executor {
  return async function run<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables?: TVariables): Promise<TResult> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: JSON.stringify({ query: document.toString(), variables }),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError('The dashboard cannot reach its server.', 'UNREACHABLE');
    }
    let body: GraphQLResponse<TResult>;
    try {
      body = (await response.json()) as GraphQLResponse<TResult>;
    } catch {
      throw new ApiError(`The API answered ${response.status} without a GraphQL response.`, response.status === 502 ? 'UNREACHABLE' : 'BAD_RESPONSE', response.status);
    }
    const first = body.errors?.[0];
    if (first) throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL_SERVER_ERROR', response.status);
    if (!body.data) throw new ApiError('The API returned no data.', 'BAD_RESPONSE', response.status);
    return body.data;
  };
}

/** The browser's executor: the app's own /graphql, where the proxy adds the token. */
export const execute: Executor = executorFor('/graphql');
