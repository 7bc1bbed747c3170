// Server side: forwards a request to the API, streaming both bodies, and turns the token cookie into a bearer header.
import type { NextRequest } from 'next/server';

export const TOKEN_COOKIE = 'odin_token';

/** Read per request, so one build serves any API address. */
export const apiUrl = () => (process.env.ODIN_API_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'cookie', 'authorization', 'content-length', 'accept-encoding'];
const RESPONSE_DROP = ['connection', 'keep-alive', 'transfer-encoding', 'content-encoding', 'content-length'];

export async function forward(request: NextRequest, path: string): Promise<Response> {
  const target = `${apiUrl()}${path}${request.nextUrl.search}`;
  const headers = new Headers(request.headers);
  for (const h of HOP_BY_HOP) headers.delete(h);
  const declared = request.headers.get('content-length');
  if (declared) headers.set('content-length', declared);
  const token = request.cookies.get(TOKEN_COOKIE)?.value;
  if (token) headers.set('authorization', `Bearer ${token}`);
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? request.body : undefined,
      // @ts-expect-error Node's fetch needs duplex for a streamed request body; the DOM type does not know it.
      duplex: hasBody ? 'half' : undefined,
      redirect: 'manual',
      signal: request.signal,
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return Response.json(
      { error: `The API at ${apiUrl()} cannot be reached (${reason}).`, errors: [{ message: `The API at ${apiUrl()} cannot be reached (${reason}).`, extensions: { code: 'UNREACHABLE' } }] },
      { status: 502 },
    );
  }
  const out = new Headers(upstream.headers);
  for (const h of RESPONSE_DROP) out.delete(h);
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
}
