// Same-origin file routes (uploads, thumbnails, downloads): forwarded to the API's /v1/*.
import type { NextRequest } from 'next/server';
import { forward } from '@/lib/proxy';

export const dynamic = 'force-dynamic';

type Context = { params: Promise<{ path: string[] }> };

const handle = async (request: NextRequest, { params }: Context) => forward(request, `/v1/${(await params).path.map(encodeURIComponent).join('/')}`);

export { handle as GET, handle as POST, handle as PUT, handle as DELETE, handle as HEAD };
