// Server-side fetches (server components) straight to the game server: no browser hop, and
// GAME_SERVER_URL is read per request (on ECS the internal name http://game-server:3001,
// through Service Connect: the renders never leave the VPC, docs/operations.md).
import { headers } from 'next/headers';
import { clientAddress, trustedHops } from './client-address';
import { gameServerUrl } from './config';

export type ServerResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

export async function serverGet<T>(path: string): Promise<ServerResult<T>> {
  // Outside the try: a bad TRUST_PROXY_HOPS is a configuration error, not "not reachable".
  const requestHeaders = await forwardedHeaders();
  try {
    const res = await fetch(`${gameServerUrl()}/api${path}`, {
      cache: 'no-store',
      headers: requestHeaders,
      signal: AbortSignal.timeout(5000),
    });
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!res.ok) return { ok: false, status: res.status, message: json?.error?.message ?? `HTTP ${res.status}` };
    return { ok: true, data: json as T };
  } catch {
    return { ok: false, status: 503, message: 'The game server is not reachable right now.' };
  }
}

/** accept, and the player's address when a trusted proxy in front of web gave it (client-address.ts). */
async function forwardedHeaders(): Promise<Record<string, string>> {
  const out: Record<string, string> = { accept: 'application/json' };
  const hops = trustedHops();
  if (hops === 0) return out;
  const address = clientAddress((await headers()).get('x-forwarded-for'), hops);
  if (address) out['x-forwarded-for'] = address;
  return out;
}
