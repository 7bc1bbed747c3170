// The key of a request's operation and variables, for what is cached per query (cost, answers). Undefined when the
// variables cannot be serialised (JSON nested deeper than the stack allows): such a request is simply not cached.
import type { GraphQLRequest } from '@apollo/server';

export function requestKey(queryHash: string, request: GraphQLRequest): string | undefined {
  try {
    return `${queryHash}\n${request.operationName ?? ''}\n${JSON.stringify(request.variables ?? {})}`;
  } catch {
    return undefined;
  }
}
