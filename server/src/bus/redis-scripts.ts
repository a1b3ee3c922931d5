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

/**
 * Publish one lobby event: the bus gives it the topic's next seq, so the order of
 * delivery on the channel is the order of seq for every subscriber, whichever replica
 * published first. ARGV[4] is the event's own id (its outbox id): an id among the
 * topic's last ARGV[6] (at least; trimmed a thousand at a time) is a second publish of
 * the same event (the committing process and the relay both got to it) and is dropped.
 * A missing counter (a fresh or wiped Redis: INCR answers 1) starts at the server clock
 * in microseconds, above any seq a lost counter can have reached, so seqs never go down
 * for a subscriber that saw the old ones: it sees a jump, and the replay read tells it
 * to resync. ARGV[7] = '1' (the publisher's first lobby publish after a reconnect: maybe
 * to a new primary that lost the last few INCRs to asynchronous replication) lifts a
 * counter more than 10 s behind the clock the same way; the first replica back does it,
 * the others find it recent. The lobby's keys do not expire (all three are bounded).
 * The seq is formatted with %d: Lua's default would print 16 digits in exponent form.
 * KEYS: stream, last, ids. ARGV: channel, payload before the seq, payload after it,
 * event id, maxlen, id window, lift. Returns the seq (a string), 0 for a duplicate.
 */
export const PUBLISH_LOBBY_LUA = `
if redis.call('ZSCORE', KEYS[3], ARGV[4]) then return 0 end
local n = redis.call('INCR', KEYS[2])
local seq = string.format('%d', n)
if n == 1 or ARGV[7] == '1' then
  local t = redis.call('TIME')
  local now = t[1] .. string.format('%06d', tonumber(t[2]))
  if n == 1 or n < tonumber(now) - 10000000 then
    redis.call('SET', KEYS[2], now)
    seq = now
  end
end
local payload = ARGV[2] .. seq .. ARGV[3]
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[5], seq .. '-1', 'e', payload)
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[4])
if redis.call('ZCARD', KEYS[3]) > tonumber(ARGV[6]) + 1000 then redis.call('ZREMRANGEBYRANK', KEYS[3], 0, 999) end
redis.call('PUBLISH', ARGV[1], payload)
return seq
`;

/**
 * One replica's presence on one game topic, written in one call instead of up to ten
 * commands (the event-stream writes it when a game's watchers come and go): its count
 * (0 removes its field), the players that left (field removed, last seen now) and
 * arrived (field with since, seen now), the keys' TTLs, then the announcement.
 * KEYS: presence, players, seen. ARGV: replica id, count, ttl, channel, topic, now ms,
 * players given ('1'/'0'), number of leavers, the leavers' ids, then id/since pairs.
 */
export const PRESENCE_SET_LUA = `
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
if ARGV[7] == '1' then
  local i = 9
  for _ = 1, tonumber(ARGV[8]) do
    redis.call('HDEL', KEYS[2], ARGV[1] .. ' ' .. ARGV[i])
    redis.call('HSET', KEYS[3], ARGV[i], ARGV[6])
    i = i + 1
  end
  while i < #ARGV do
    redis.call('HSET', KEYS[2], ARGV[1] .. ' ' .. ARGV[i], ARGV[i + 1])
    redis.call('HSET', KEYS[3], ARGV[i], ARGV[6])
    i = i + 2
  end
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  redis.call('EXPIRE', KEYS[3], ARGV[3])
end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`;
