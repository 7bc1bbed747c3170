// The API token as an httpOnly, SameSite=Strict cookie: POST {token} sets it, DELETE clears it, GET says whether one is set.
import { NextResponse, type NextRequest } from 'next/server';
import { TOKEN_COOKIE } from '@/lib/proxy';

export const dynamic = 'force-dynamic';

export function GET(request: NextRequest) {
  return NextResponse.json({ hasToken: Boolean(request.cookies.get(TOKEN_COOKIE)?.value) });
}

export async function POST(request: NextRequest) {
  const body = (await request.json().catch(() => null)) as { token?: unknown } | null;
  const token = typeof body?.token === 'string' ? body.token.trim() : '';
  if (!token || token.length > 512 || /\s/.test(token)) return NextResponse.json({ error: 'Give a token: one line, no spaces.' }, { status: 400 });
  const response = NextResponse.json({ hasToken: true });
  response.cookies.set(TOKEN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: request.nextUrl.protocol === 'https:', maxAge: 60 * 60 * 24 * 365 });
  return response;
}

export function DELETE() {
  const response = NextResponse.json({ hasToken: false });
  response.cookies.delete(TOKEN_COOKIE);
  return response;
}
