import { GAME_ROUTES } from './game-routes.js';
import { MODERATION_ROUTES } from './moderation-routes.js';
import { PLAYER_ROUTES } from './player-routes.js';
import type { RouteInput, RouteOutput, RouteSpec } from './route.js';

/**
 * The REST contract of the game-server: every /api route, declared once. The server
 * registers exactly these (server/src/routes), the OpenAPI document is generated from
 * them, and the browser client (./client.ts) calls them by name. docs/api.md says how to
 * add one.
 */
export const ROUTES = { ...PLAYER_ROUTES, ...GAME_ROUTES, ...MODERATION_ROUTES } as const satisfies Record<string, RouteSpec>;

export type Routes = typeof ROUTES;
export type RouteName = keyof Routes;
export type InputOf<N extends RouteName> = RouteInput<Routes[N]>;
export type OutputOf<N extends RouteName> = RouteOutput<Routes[N]>;
