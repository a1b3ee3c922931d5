/**
 * Lua of the presence read (bus/redis-presence.ts) and of the replica registry
 * (bus/redis-replicas.ts): cleaning up after an event-stream replica that died without
 * saying so. (The per-topic presence write, PRESENCE_SET_LUA, lives with the publish
 * scripts in redis-scripts.ts.) Each cleanup script first checks that the dead replica's
 * liveness key is still missing, in the same atomic step as its writes: a replica that
 * was only slow and came back re-writes its presence after re-setting that key, so the
 * cleanup can never delete what it wrote after its return.
 */

/**
 * One topic's presence as stored, in one call instead of four commands (a presence read
 * covers every topic that changed in a window): KEYS presence, presence-players,
 * presence-seen, presence-seats. Returns the three hashes as flat field/value arrays and
 * the seats (nil when unset).
 */
export const PRESENCE_READ_LUA = `
return { redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]), redis.call('GET', KEYS[4]) }
`;

/**
 * One topic of a dead replica. KEYS: presence:<topic>, presence-players:<topic>,
 * presence-seen:<topic>, replica:<dead>. ARGV: dead replica id, its last heartbeat (ms),
 * presence channel, topic. Drops its count and its players' fields; each of those
 * players is last seen at the dead replica's last heartbeat (unless seen later); then
 * announces the topic so every replica re-reads it. Returns 0 when the replica lives.
 */
export const PRESENCE_REAP_TOPIC_LUA = `
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
local prefix = ARGV[1] .. ' '
local last = tonumber(ARGV[2])
local cursor = '0'
repeat
  local page = redis.call('HSCAN', KEYS[2], cursor, 'MATCH', prefix .. '*', 'COUNT', 500)
  cursor = page[1]
  local kv = page[2]
  for i = 1, #kv, 2 do
    local player = string.sub(kv[i], #prefix + 1)
    redis.call('HDEL', KEYS[2], kv[i])
    if (tonumber(redis.call('HGET', KEYS[3], player)) or 0) < last then
      redis.call('HSET', KEYS[3], player, ARGV[2])
    end
  end
until cursor == '0'
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
`;

/**
 * After every topic of a dead replica was cleaned: forget the replica. KEYS:
 * replica:<dead>, presence-replicas, presence-topics:<dead>. ARGV: dead replica id.
 * Returns 0 (and keeps everything) when the replica lives again.
 */
export const PRESENCE_FORGET_REPLICA_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return 1
`;
