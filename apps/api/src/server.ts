// The HTTP app: GraphQL at /graphql (Apollo Server 5), streaming uploads and file routes under /v1.
import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { downloadRoute } from './blobs/download.route.ts';
import { uploadRoute } from './blobs/upload.route.ts';
import { fileRoutes } from './files/routes.ts';
import type { Context } from './graphql/context.ts';
import { createServices, type Base } from './services.ts';

export async function createApp(base: Base, schema: GraphQLSchema) {
  const apollo = new ApolloServer<Context>({ schema, introspection: true, includeStacktraceInErrorResponses: false });
  await apollo.start();
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.post('/v1/uploads', uploadRoute(base.db, base.blobs, base.config.uploadLimitBytes));
  app.get('/v1/blobs/:sha256', downloadRoute(base.blobs));
  app.use(fileRoutes(() => createServices(base)));
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(apollo, { context: async () => ({ services: createServices(base) }) }));
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    console.error(err);
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    else res.destroy();
  });
  return { app, stop: () => apollo.stop() };
}
