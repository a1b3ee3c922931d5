// Liveness of the web server itself (load balancers, compose healthchecks).
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok', service: 'web' });
}
