// Server-side calls (server components) straight to the game server: no browser hop, and
// GAME_SERVER_URL is read per request (on ECS the internal name http://game-server:3001,
// through Service Connect: the renders never leave the VPC, docs/operations.md). The same
// route table and client as the browser's (lib/api.ts): URLs, parsing and error codes.
import { headers } from 'next/headers';
import { createApiClient, type InputOf, type OutputOf, type RouteName } from '@monkeytown/shared/api';
import { ApiError, type ClientErrorCode } from '@monkeytown/shared/schemas';
import { clientAddress, trustedHops } from './client-address';
import { gameServerUrl } from './config';

export type ServerResult<T> = { ok: true; data: T } | { ok: false; code: ClientErrorCode; message: string };

/** A route of the table, called from a render: its answer, or the refusal's code and message. */
export async function serverCall<N extends RouteName>(name: N, input: InputOf<N>): Promise<ServerResult<OutputOf<N>>> {
  const client = createApiClient({
    base: `${gameServerUrl()}/api`,
    // Read before the request: a bad TRUST_PROXY_HOPS is a configuration error (thrown),
    // not "not reachable".
    headers: forwardedHeaders,
    timeoutMs: 5000,
    networkMessage: 'The game server is not reachable right now.',
    // A render's reads survive a keep-alive connection closed under them (issue 25: seen
    // as "not reachable" pages while game-server replicas were taken out of rotation).
    resendGetOnce: true,
  });
  try {
    return { ok: true, data: await client.call(name, input) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}

/** The player's address when a trusted proxy in front of web gave it (client-address.ts). */
async function forwardedHeaders(): Promise<Record<string, string>> {
  const hops = trustedHops();
  if (hops === 0) return {};
  const address = clientAddress((await headers()).get('x-forwarded-for'), hops);
  return address ? { 'x-forwarded-for': address } : {};
}
