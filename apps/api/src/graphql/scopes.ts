// Which scope each operation needs: a root field's `scope` extension (e.g. admin), else read for queries and
// subscriptions and write for mutations. Checked before anything runs, for HTTP and for graphql-ws alike.
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { requireScope, type Principal, type Scope } from '../auth/scopes.ts';
import type { Context } from './context.ts';

function rootFields(set: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): string[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s.name.value];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet, fragments, seen);
    const f = fragments[s.name.value];
    if (!f || seen.has(f.name.value)) return [];
    seen.add(f.name.value);
    return rootFields(f.selectionSet, fragments, seen);
  });
}

/** Throws FORBIDDEN unless the principal may run every root field of the operation. */
export function checkOperationScopes(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, principal: Principal): void {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  const fallback: Scope = operation.operation === 'mutation' ? 'write' : 'read';
  for (const name of new Set(rootFields(operation.selectionSet, fragments))) {
    if (name === '__typename') continue;
    const declared = root?.getFields()[name]?.extensions.scope as Scope | undefined;
    const what = name.startsWith('__') ? 'introspection' : `${operation.operation} ${name}`;
    requireScope(principal, [declared ?? fallback], what);
  }
}

export function fragmentsOf(document: { definitions: readonly { kind: string }[] }): Record<string, FragmentDefinitionNode> {
  const defs = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  return Object.fromEntries(defs.map((d) => [d.name.value, d]));
}

export const scopesPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ schema, document, operation, contextValue }) {
        if (operation) checkOperationScopes(schema, operation, fragmentsOf(document), contextValue.principal);
      },
    };
  },
};
