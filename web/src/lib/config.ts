// Per-environment settings, read on the server at request time (never NEXT_PUBLIC_*, which
// is frozen into the bundle at build time: one build must serve every environment).

export const DEFAULT_GAME_SERVER_URL = 'http://127.0.0.1:3001';

/** Where the web server reaches the game server (API proxy and server-side fetches). */
export function gameServerUrl(): string {
  return (process.env.GAME_SERVER_URL || DEFAULT_GAME_SERVER_URL).replace(/\/+$/, '');
}

/**
 * Where browsers open the event stream. Unset means same-origin `/ws` (nginx/ALB route
 * it); `npm start` without nginx sets it to e.g. ws://localhost:8080/ws. A relative
 * path is resolved against the page's origin by the browser code.
 */
export function eventStreamPublicUrl(): string | null {
  const v = process.env.EVENT_STREAM_PUBLIC_URL?.trim();
  return v ? v : null;
}
