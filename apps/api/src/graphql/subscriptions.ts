// GraphQL subscriptions over graphql-ws on the API's HTTP server, at /graphql (queries and mutations stay on Apollo's HTTP route).
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createServices, type Base } from '../services.ts';
import type { Context } from './context.ts';

export function serveSubscriptions(server: Server, schema: GraphQLSchema, base: Base) {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const served = useServer(
    {
      schema,
      // A subscription lives for many events: fresh services (and DataLoaders) on each access, so no event reads
      // what an earlier one cached.
      context: (): Context => ({
        get services() {
          return createServices(base);
        },
      }),
    },
    wss,
  );
  return {
    close: async () => {
      await served.dispose();
      await new Promise((r) => wss.close(r));
    },
  };
}
