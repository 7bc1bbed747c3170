// Same-origin GraphQL: forwarded to the API's /graphql.
import type { NextRequest } from 'next/server';
import { forward } from '@/lib/proxy';

export const dynamic = 'force-dynamic';

export const GET = (request: NextRequest) => forward(request, '/graphql');
export const POST = (request: NextRequest) => forward(request, '/graphql');
