/**
 * Publish one game event atomically: skip it when its seq is not above the game's last
 * published seq (a relay retrying a batch, or two relays racing, cannot duplicate),
 * otherwise append it to the capped replay stream with ID "<seq>-1", remember the
 * seq and PUBLISH it. KEYS: stream, last. ARGV: channel, payload, seq, maxlen, ttl.
 */
export const PUBLISH_GAME_LUA = `
local last = tonumber(redis.call('GET', KEYS[2]) or '-1')
if tonumber(ARGV[3]) <= last then return 0 end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], ARGV[3] .. '-1', 'e', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`;

/**
 * The committing process's publish (straight after COMMIT): like PUBLISH_GAME_LUA, but
 * only the NEXT seq goes out. 0 = already published (duplicate), -1 = an earlier event
 * of the game is not on the bus yet (its publisher crashed, or Redis was down): the
 * event is left to the outbox relay, which publishes the game's rows in order.
 */
export const PUBLISH_GAME_NEXT_LUA = `
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local seq = tonumber(ARGV[3])
if seq <= last then return 0 end
if seq ~= last + 1 then return -1 end
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], ARGV[3] .. '-1', 'e', ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[5])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`;
