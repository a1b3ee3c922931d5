import type { FastifyRequest } from 'fastify';

/**
 * The site's address as its users reach it, for links back to a game: PUBLIC_URL when
 * the operator set it (`npm start` sets it to the site it serves), else the request's own
 * scheme and host (Fastify's req.protocol/req.host: X-Forwarded-Proto/-Host count only
 * from a proxy TRUST_PROXY trusts, so behind one the link names the public address).
 */
export function siteUrl(req: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ?? `${req.protocol}://${req.host}`;
}
