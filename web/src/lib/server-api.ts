// Server-side fetches (server components) straight to the game server: no browser hop, and
// GAME_SERVER_URL is read per request.
import { gameServerUrl } from './config';

export type ServerResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

export async function serverGet<T>(path: string): Promise<ServerResult<T>> {
  try {
    const res = await fetch(`${gameServerUrl()}/api${path}`, {
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    const json = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    if (!res.ok) return { ok: false, status: res.status, message: json?.error?.message ?? `HTTP ${res.status}` };
    return { ok: true, data: json as T };
  } catch {
    return { ok: false, status: 503, message: 'The game server is not reachable right now.' };
  }
}
