import type { Redis } from 'ioredis';
import { MAX_TOKEN_LIFETIME_DAYS } from '../auth/tokens.js';
import type { redisKeys } from './keys.js';
import type { SignOutListener } from './types.js';

/** Keep the floor while any token of the player could still be unexpired. */
const FLOOR_TTL_MS = MAX_TOKEN_LIFETIME_DAYS * 86_400_000;

/**
 * Raise a player's token floor (never lower it: sign-outs answered out of order) and
 * announce it. KEYS: signed-out:<player>. ARGV: version, ttl ms, channel, player.
 */
const SIGN_OUT_LUA = `
local cur = tonumber(redis.call('GET', KEYS[1])) or -1
if tonumber(ARGV[1]) > cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. ARGV[1])
return 1
`;

type SignOutCommand = { mtSignOut(...args: string[]): Promise<unknown> };

/**
 * Sign-outs for the event-stream, which has no database: the game-server raises the
 * player's token floor (`signed-out:<player>`, kept the longest token lifetime) and
 * announces it on `signed-out`; every event-stream replica closes that player's sockets
 * opened with an older token at once, and checks the floor when a signed-in socket
 * opens (and again after a reconnect to Redis, for announcements it may have missed).
 */
export function createRedisSignOuts(o: {
  pub: Redis;
  keys: ReturnType<typeof redisKeys>;
  ensureUp: () => void;
  listen: (channel: string, handler: (payload: string) => void) => Promise<() => Promise<void>>;
}) {
  const { pub, keys } = o;
  pub.defineCommand('mtSignOut', { numberOfKeys: 1, lua: SIGN_OUT_LUA });
  return {
    async signOut(playerId: string, tokenVersion: number): Promise<void> {
      o.ensureUp();
      await (pub as Redis & SignOutCommand).mtSignOut(keys.tokenFloor(playerId), String(tokenVersion), String(FLOOR_TTL_MS), keys.signOutChannel, playerId);
    },

    async tokenFloors(playerIds: readonly string[]): Promise<Map<string, number>> {
      o.ensureUp();
      if (!playerIds.length) return new Map();
      const floors = await pub.mget(...playerIds.map((id) => keys.tokenFloor(id)));
      return new Map(playerIds.flatMap((id, i) => (floors[i] == null ? [] : [[id, Number(floors[i])] as const])));
    },

    onSignOut(listener: SignOutListener): Promise<() => Promise<void>> {
      return o.listen(keys.signOutChannel, (payload) => {
        const [playerId, version] = payload.split(' ');
        const v = Number(version);
        if (playerId && Number.isSafeInteger(v)) listener(playerId, v);
      });
    },
  };
}
