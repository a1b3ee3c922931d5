// Next's request proxy (formerly middleware): runs before routing, so it sees the raw
// path and every method. Answers in the API's error contract what Next's router would
// answer in its own shapes (malformed percent-encoding, TRACE and other methods, /api
// itself); everything else goes on untouched.
import { NextResponse, type NextRequest } from 'next/server';
import { frameworkError } from './src/lib/contract-errors';

export function proxy(request: NextRequest): Response {
  return frameworkError(request.method, request.nextUrl.pathname) ?? NextResponse.next();
}

export const config = {
  // Static assets never need it (and are the bulk of requests).
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
