// Server components' GraphQL: straight to the API (ODIN_API_URL), with the token from the httpOnly cookie.
import 'server-only';
import { cookies } from 'next/headers';
import { executorFor, type Executor } from './graphql';
import { apiUrl, TOKEN_COOKIE } from './proxy';

export async function serverExecutor(): Promise<Executor> {
  const token = (await cookies()).get(TOKEN_COOKIE)?.value;
  return executorFor(`${apiUrl()}/graphql`, token ? { authorization: `Bearer ${token}` } : {});
}
