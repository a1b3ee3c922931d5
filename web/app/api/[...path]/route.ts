// Same-origin /api for the browser: forwards every /api request to the game server named by
// GAME_SERVER_URL, read per request (next.config rewrites are frozen at build time in
// standalone output). Behind nginx/ALB, /api never reaches Next; this serves `npm start`.
import type { NextRequest } from 'next/server';
import { gameServerUrl } from '../../../src/lib/config';
import { errorResponse } from '../../../src/lib/contract-errors';

export const dynamic = 'force-dynamic';

// Request headers worth forwarding; everything else (cookies, hop-by-hop) stays here.
const FORWARD_REQUEST = ['authorization', 'content-type', 'accept', 'idempotency-key', 'x-request-id', 'user-agent'];
// Response headers that must not be copied: fetch already decoded the body and framing changes.
const DROP_RESPONSE = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);
const MAX_BODY = 64 * 1024;

async function proxy(request: NextRequest, ctx: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const { path } = await ctx.params;
  // Forward the path as the client encoded it (Next decoded the params; re-encoding
  // them would turn a "%2F" inside a segment into a new segment boundary or double-escape).
  const raw = request.nextUrl.pathname.replace(/^\/api\/?/, '');
  const target = `${gameServerUrl()}/api/${raw || path.map(encodeURIComponent).join('/')}${request.nextUrl.search}`;
  const headers = new Headers();
  for (const name of FORWARD_REQUEST) {
    const v = request.headers.get(name);
    if (v !== null) headers.set(name, v);
  }
  const fwd = request.headers.get('x-forwarded-for');
  headers.set('x-forwarded-for', fwd ?? '127.0.0.1');

  let body: ArrayBuffer | undefined;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    body = await request.arrayBuffer();
    // The game server enforces its own limit too; refusing early saves a round trip.
    if (body.byteLength > MAX_BODY) return errorResponse('payload_too_large', 'request body too large');
  }

  let upstream: Response;
  try {
    upstream = await fetch(target, { method: request.method, headers, body, redirect: 'manual', cache: 'no-store' });
  } catch {
    return errorResponse('unavailable', 'the game server is not reachable');
  }
  const out = new Headers();
  upstream.headers.forEach((value, name) => {
    if (!DROP_RESPONSE.has(name.toLowerCase())) out.append(name, value);
  });
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
}

export { proxy as GET, proxy as POST, proxy as PUT, proxy as PATCH, proxy as DELETE, proxy as OPTIONS };
