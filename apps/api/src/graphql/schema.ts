// The GraphQL schema, built from the resolvers; printed sorted to apps/api/schema.graphql.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { DatasetResolver } from '../resources/dataset/dataset.resolver.ts';
import { ModelResolver } from '../resources/model/model.resolver.ts';
import { RunShardsResolver } from '../resources/run/run-shards.ts';
import { RunResolver, RunResultResolver } from '../resources/run/run.resolver.ts';
import { TokenResolver } from '../resources/token/token.resolver.ts';
import { pubSub } from './pubsub.ts';

export function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({ resolvers: [ModelResolver, DatasetResolver, RunResolver, RunResultResolver, RunShardsResolver, TokenResolver], validate: false, pubSub });
}

export async function printedSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await createSchema()));
}
