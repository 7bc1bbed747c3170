// Limits on abusive GraphQL requests: body size, operations per batch, depth, estimated cost. Each refusal is a GraphQL error with a code.
import type { ApolloServerPlugin } from '@apollo/server';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import express, { type NextFunction, type Request, type Response } from 'express';
import { LRUCache } from 'lru-cache';
import { getNamedType, GraphQLError, isListType, isNonNullType, isObjectType, validate, type DocumentNode, type GraphQLOutputType, type GraphQLSchema } from 'graphql';
// NOTE: the CJS build: the ESM one imports graphql/index.mjs, a second graphql realm beside the one type-graphql uses.
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity/cjs';
import type { GraphQLLimits } from '../config.ts';
import { DEFAULT_PAGE, MAX_PAGE } from './connection.ts';
import { requestKey } from './request-key.ts';

/** The parser's own cap on a document's tokens, far above any real query (the dashboard's largest has a few hundred). */
export const MAX_TOKENS = 20_000;
/** What a list that no argument bounds (a run's results, a model's op histogram) is assumed to hold. */
export const LIST_SIZE = 10;
/** The same for introspection's lists (types, fields, args), so the standard introspection query fits; graphql-js refuses nesting it. */
export const INTROSPECTION_LIST_SIZE = 5;
/** Types whose lists a parent's `first` already bounds: a connection's edges, hardest samples. */
const SIZED_BY_PARENT = /(Connection|HardestSamples)$/;

const refusal = (code: string, message: string, status = 400) => new GraphQLError(message, { extensions: { code, http: { status } } });
const errorBody = (code: string, message: string) => ({ errors: [{ message, extensions: { code } }] });

const isList = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

/**
 * Every field costs 1 plus its selection times how many it returns: `first` (capped at the connection's maximum),
 * the number of `ids`, or LIST_SIZE (INTROSPECTION_LIST_SIZE) for an unbounded list of objects. So list sizes multiply down the query.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  let size = 1;
  if (typeof args.first === 'number' || field.args.some((a) => a.name === 'first')) size = Math.min(Math.max(Number(args.first ?? DEFAULT_PAGE), 0), MAX_PAGE * 5);
  else if (Array.isArray(args.ids)) size = args.ids.length;
  else if (isList(field.type) && isObjectType(getNamedType(field.type)) && !SIZED_BY_PARENT.test(type.name))
    size = type.name.startsWith('__') || field.name.startsWith('__') ? INTROSPECTION_LIST_SIZE : LIST_SIZE;
  return 1 + childComplexity * size;
};

export function queryCost(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null, variables?: Record<string, unknown>): number {
  return getComplexity({ schema, query: document, operationName: operationName ?? undefined, variables: variables ?? {}, estimators: [costEstimator] });
}

/** A QUERY_TOO_DEEP refusal when an operation nests deeper than `max` (fragments flattened, introspection counted), else undefined. */
export function depthRefusal(schema: GraphQLSchema, document: DocumentNode, max: number): GraphQLError | undefined {
  let found: GraphQLError | undefined;
  validate(schema, document, [
    maxDepthRule({ n: max, flattenFragments: true, ignoreIntrospection: false, propagateOnRejection: false, onReject: [(_ctx, err) => void (found ??= err)] }),
  ]);
  return found && refusal('QUERY_TOO_DEEP', found.message.replace(/^Syntax Error: /, ''));
}

/** Depth and cost, checked once the operation is known (before anything runs). */
export function limitsPlugin(limits: GraphQLLimits): ApolloServerPlugin {
  const depthChecked = new WeakMap<DocumentNode, GraphQLError | null>();
  const costChecked = new WeakMap<DocumentNode, LRUCache<string, number>>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, queryHash }) {
          let deep = depthChecked.get(document);
          if (deep === undefined) depthChecked.set(document, (deep = depthRefusal(schema, document, limits.maxDepth) ?? null));
          if (deep) throw deep;
          // A dashboard or tool sends the same few documents and variables again and again: their cost is computed once.
          let costs = costChecked.get(document);
          if (!costs) costChecked.set(document, (costs = new LRUCache({ max: 100 })));
          const key = requestKey(queryHash, request);
          let cost = key === undefined ? undefined : costs.get(key);
          if (cost === undefined) {
            try {
              cost = queryCost(schema, document, request.operationName, request.variables);
            } catch (e) {
              throw refusal('BAD_USER_INPUT', e instanceof Error ? e.message : String(e));
            }
            if (key !== undefined) costs.set(key, cost);
          }
          if (cost > limits.maxCost)
            throw refusal('QUERY_TOO_COMPLEX', `the query's estimated cost is ${cost}, above the limit of ${limits.maxCost} (list sizes multiply: ask for smaller pages or fewer fields)`);
        },
      };
    },
  };
}

/** JSON body parsing with the size limit, and the batch limit; refusals as GraphQL errors (413 and 400), never a 5xx. */
export function bodyLimits(limits: GraphQLLimits) {
  const json = express.json({ limit: limits.bodyLimitBytes });
  const parse = (req: Request, res: Response, next: NextFunction) =>
    json(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { type?: string; status?: number; message?: string };
      if (e.type === 'entity.too.large') return void res.status(413).set('connection', 'close').json(errorBody('BODY_TOO_LARGE', `the request body is larger than the limit of ${limits.bodyLimitBytes} bytes`));
      if (e.status && e.status < 500) return void res.status(e.status).json(errorBody('BAD_REQUEST', `the request body is not valid JSON: ${e.message}`));
      next(err);
    });
  const batch = (req: Request, res: Response, next: NextFunction) => {
    if (Array.isArray(req.body) && req.body.length > limits.maxBatch)
      return void res.status(400).json(errorBody('BATCH_TOO_LARGE', `a batch may hold at most ${limits.maxBatch} operations; this one has ${req.body.length}`));
    next();
  };
  return [parse, batch];
}
