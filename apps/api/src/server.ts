// The HTTP app: GraphQL at /graphql (Apollo Server 5), streaming uploads and file routes under /v1, each behind auth and CORS.
import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import type { GraphQLSchema } from 'graphql';
import { authenticate, principalOf } from './auth/http.ts';
import { NONE } from './auth/scopes.ts';
import { downloadRoute } from './blobs/download.route.ts';
import { uploadRoute } from './blobs/upload.route.ts';
import { fileRoutes } from './files/routes.ts';
import type { Context } from './graphql/context.ts';
import { bodyLimits, limitsPlugin, MAX_TOKENS } from './graphql/limits.ts';
import { responseCache } from './graphql/response-cache.ts';
import { scopesPlugin } from './graphql/scopes.ts';
import { TokenService } from './resources/token/token.service.ts';
import { createServices, type Base } from './services.ts';

/** Headers a browser on an allowed origin may send (all of them make a request non-simple, so it is preflighted). */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-filename', 'x-content-sha256', 'apollo-require-preflight', 'x-apollo-operation-name'];

export async function createApp(base: Base, schema: GraphQLSchema) {
  const { config } = base;
  const cache = responseCache(config.responseCacheMs);
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Simple (form-like) requests are refused: POST needs a JSON content type, GET an Apollo preflight header.
    csrfPrevention: true,
    allowBatchedHttpRequests: true,
    parseOptions: { maxTokens: MAX_TOKENS },
    // Compact JSON (Apollo pretty-prints by default), and a cached answer serialised once.
    stringifyResult: (result) => cache.stringify(result),
    // No cache-control hints are used; without the plugin, Apollo does not wrap every field's resolver.
    // The response cache comes last: an answer is served only to a request that passed scopes and limits.
    plugins: [ApolloServerPluginCacheControlDisabled(), scopesPlugin, limitsPlugin(config.graphql), cache.plugin],
  });
  await apollo.start();
  const tokens = new TokenService(base);
  const principal = principalOf(config.auth, () => tokens);
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  app.use(cors({ origin: config.corsOrigins, allowedHeaders: ALLOWED_HEADERS, methods: ['GET', 'POST'], maxAge: 600 }));
  app.post('/v1/uploads', authenticate(principal, ['write'], 'uploading'), uploadRoute(base.db, base.blobs, config.uploadLimitBytes));
  app.get('/v1/blobs/:sha256', authenticate(principal, ['worker', 'read'], 'downloading a blob'), downloadRoute(base.blobs));
  app.use('/v1', authenticate(principal, ['read'], 'downloading a file'));
  app.use(fileRoutes(() => createServices(base)));
  app.use(
    '/graphql',
    authenticate(principal),
    ...bodyLimits(config.graphql),
    expressMiddleware(apollo, { context: async ({ req }) => ({ services: createServices(base), principal: req.principal ?? NONE }) }),
  );
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    console.error(err);
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
    else res.destroy();
  });
  return { app, stop: () => apollo.stop(), invalidateResponses: cache.invalidate };
}
