// Issue 25: the game-server's per-IP limits must see the player, not the web server.
// Server-side renders call the game-server from web's own address; without this every
// player's renders shared one bucket (one per web task) and the whole site was
// rate-limited as a single client. SSR therefore tells the game-server whose page it is
// rendering, in X-Forwarded-For, and the game-server believes it only because web is a
// hop it trusts (its TRUST_PROXY names the VPC's addresses, docs/operations.md).
import { isIP } from 'node:net';

/**
 * How many proxies in front of web append the address they saw to X-Forwarded-For
 * (TRUST_PROXY_HOPS; the ALB, or nginx in compose: 1). 0 (the default, `npm start`):
 * nothing in front is trusted and no address is forwarded.
 */
export function trustedHops(env: Record<string, string | undefined> = process.env): number {
  const raw = env.TRUST_PROXY_HOPS?.trim();
  if (!raw) return 0;
  if (!/^\d{1,2}$/.test(raw)) throw new Error(`TRUST_PROXY_HOPS must be a small whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/**
 * The browser's address as the outermost trusted proxy saw it: counting `hops` entries
 * from the right of X-Forwarded-For (entries further left were written by the client
 * and prove nothing). Undefined when no proxy is trusted, the header is short, or the
 * entry is not an IP address (never forwarded as-is).
 */
export function clientAddress(forwardedFor: string | null, hops: number): string | undefined {
  if (hops < 1 || !forwardedFor) return undefined;
  const entries = forwardedFor.split(',').map((s) => s.trim());
  const entry = entries[entries.length - hops];
  return entry && isIP(entry) ? entry : undefined;
}
