// GraphQL subscriptions over graphql-ws on the API's HTTP server, at /graphql (queries and mutations stay on Apollo's HTTP route).
// The connection is authenticated once (connection_init's `authorization`, or the upgrade request's header), each
// operation is checked for scope and depth, and browsers on origins that are not allowed cannot open one.
import type { Server } from 'node:http';
import { getOperationAST, GraphQLError, parse, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { principalOf } from '../auth/http.ts';
import { NONE, requireScope, type Principal } from '../auth/scopes.ts';
import type { GraphQLLimits } from '../config.ts';
import { TokenService } from '../resources/token/token.service.ts';
import { createServices, type Base } from '../services.ts';
import type { Context } from './context.ts';
import { depthRefusal, MAX_TOKENS } from './limits.ts';
import { checkOperationScopes, fragmentsOf } from './scopes.ts';

/** Close codes: 4401 for a missing or bad token, 4403 for one without the read scope. */
const CLOSE = { UNAUTHENTICATED: 4401, FORBIDDEN: 4403 } as const;

function authorizationOf(params: Record<string, unknown> | undefined, header: string | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : header;
}

/** `onWrite`: called before and after a mutation sent over the socket runs (the HTTP route's response cache drops its answers). */
export function serveSubscriptions(server: Server, schema: GraphQLSchema, base: Base, o: { limits: GraphQLLimits; onWrite: () => void }) {
  const { limits } = o;
  const allowed = new Set(base.config.corsOrigins);
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    verifyClient: ({ origin }: { origin?: string }, done: (ok: boolean, code?: number, message?: string) => void) =>
      !origin || allowed.has(origin) ? done(true) : done(false, 403, `origin ${origin} is not allowed (ODIN_CORS_ORIGINS)`),
  });
  const tokens = new TokenService(base);
  const principalFrom = principalOf(base.config.auth, () => tokens);
  const principals = new WeakMap<WebSocket, Principal>();
  // The ids of the mutations running on each connection (ids are unique per connection only).
  const mutations = new WeakMap<WebSocket, Set<string>>();
  const served = useServer<Record<string, unknown>>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const principal = await principalFrom(authorizationOf(ctx.connectionParams, ctx.extra.request.headers.authorization));
          requireScope(principal, ['read'], 'a subscription');
          principals.set(ctx.extra.socket, principal);
          return true;
        } catch (e) {
          if (!(e instanceof GraphQLError)) throw e;
          const code = e.extensions.code as keyof typeof CLOSE;
          ctx.extra.socket.close(CLOSE[code] ?? 4400, `${code}: ${e.message}`.slice(0, 120));
          return false;
        }
      },
      onSubscribe: (ctx, id, payload) => {
        const principal = principals.get(ctx.extra.socket) ?? NONE;
        let document;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (e) {
          return [e as GraphQLError];
        }
        const invalid = validate(schema, document);
        if (invalid.length) return invalid;
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('no operation to run', { extensions: { code: 'BAD_USER_INPUT' } })];
        try {
          checkOperationScopes(schema, operation, fragmentsOf(document), principal);
        } catch (e) {
          return [e as GraphQLError];
        }
        const deep = depthRefusal(schema, document, limits.maxDepth);
        if (deep) return [deep];
        if (operation.operation === 'mutation') {
          const running = mutations.get(ctx.extra.socket) ?? new Set<string>();
          mutations.set(ctx.extra.socket, running.add(id));
          o.onWrite();
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue: context(principal) };
      },
      onComplete: (ctx, id) => {
        if (mutations.get(ctx.extra.socket)?.delete(id)) o.onWrite();
      },
    },
    wss,
  );
  // A subscription lives for many events: fresh services (and DataLoaders) on each access, so no event reads
  // what an earlier one cached.
  const context = (principal: Principal): Context => ({
    get services() {
      return createServices(base);
    },
    principal,
  });
  return {
    close: async () => {
      await served.dispose();
      await new Promise((r) => wss.close(r));
    },
  };
}
