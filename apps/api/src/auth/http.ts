// Express side of auth: who a request is (bearer token, or everyone when ODIN_AUTH=off), and scope checks for the /v1 routes.
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { TokenService } from '../resources/token/token.service.ts';
import { OPEN, requireScope, type Principal, type Scope } from './scopes.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The principal of a request's Authorization header; OPEN when auth is off. Throws UNAUTHENTICATED. */
export function principalOf(auth: boolean, tokens: () => TokenService) {
  return (authorization: string | undefined): Promise<Principal> => (auth ? tokens().authenticate(authorization) : Promise.resolve(OPEN));
}

const statusOf = (e: GraphQLError) => (e.extensions.http as { status?: number } | undefined)?.status ?? 400;

/**
 * Authenticates every request it sees, answering 401 (UNAUTHENTICATED) itself; with `scopes`, also 403 (FORBIDDEN)
 * unless the token holds one of them. GraphQL requests get a GraphQL error body, the file routes `{ error, code }`.
 */
export function authenticate(principal: (authorization: string | undefined) => Promise<Principal>, scopes?: readonly Scope[], what = 'this route') {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      req.principal = await principal(req.headers.authorization);
      if (scopes) requireScope(req.principal, scopes, what);
      next();
    } catch (e) {
      if (!(e instanceof GraphQLError)) return next(e);
      req.resume();
      const code = e.extensions.code;
      const body = req.baseUrl === '/graphql' || req.path === '/graphql' ? { errors: [{ message: e.message, extensions: { code } }] } : { error: e.message, code };
      res.status(statusOf(e)).set(statusOf(e) === 401 ? { 'www-authenticate': 'Bearer' } : {}).json(body);
    }
  };
}
