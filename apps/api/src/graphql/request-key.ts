// The key of a request's operation and variables, for what is cached per query (cost, answers). Undefined when the
// variables cannot be serialised (JSON nested deeper than the stack allows): such a request is simply not cached.
// Computed once per request, however many plugins ask.
import type { GraphQLRequest } from '@apollo/server';

const keys = new WeakMap<GraphQLRequest, string | undefined>();

export function requestKey(queryHash: string, request: GraphQLRequest): string | undefined {
  if (keys.has(request)) return keys.get(request);
  let key: string | undefined;
  try {
    key = `${queryHash}\n${request.operationName ?? ''}\n${JSON.stringify(request.variables ?? {})}`;
  } catch {
    key = undefined;
  }
  keys.set(request, key);
  return key;
}
