/**
 * Publish game events, each strictly in seq order, whoever hands it in and in whatever
 * order (the committing replica straight after COMMIT, another replica's commit racing
 * it, the outbox relay): the one script every game publish goes through.
 *
 * - seq <= last: already on the bus, dropped (0).
 * - seq = last + 1: appended to the capped replay stream with ID "<seq>-1", remembered
 *   as last and PUBLISHed; then every event parked behind it (seq + 1, + 2, ...) goes out
 *   the same way, in the same atomic step (1). A waiting event therefore leaves the
 *   moment its predecessor does, and no later seq can ever overtake an earlier one.
 * - seq > last + 1: its predecessor is still in flight (committed, not yet handed in:
 *   another replica's publish, or the relay's after a crash or an outage). The event is
 *   parked in the game's hash until then (-1). Nothing is ever skipped: a seq that is
 *   missing holds back the ones after it until it arrives.
 * - last unknown (no key: a fresh or wiped Redis, or a game silent past the TTL; the
 *   stream's newest entry is read as a fallback): seq 1 starts the game; any other seq
 *   is parked (-2) until the relay anchors it. A floor > 0 is that anchor: the relay's
 *   `floor`, the game's lowest unpublished seq in the outbox (Postgres). Every seq below
 *   it was published, so last is at least floor - 1, whatever this Redis remembers.
 *
 * The script takes a run of game events at once (a batch's, several games' each): one
 * call per batch instead of one per event, the same steps for each event in the order
 * given, all in one atomic step. A game's last is read once per call (then kept as the
 * script sets it), and its stream's lifetime renewed once per call, after the events.
 *
 * KEYS: stream, last, parked for each event. ARGV: maxlen, ttl, then channel, payload,
 * seq, floor (0: none) for each event. Returns one answer per event.
 */
export const PUBLISH_GAMES_LUA = `
local maxlen, ttl = ARGV[1], ARGV[2]
local lasts = {}
local streams = {}
local function publish(kstream, klast, kparked, channel, payload, seqarg, floorarg)
  local last = lasts[klast]
  if last == nil then
    last = redis.call('GET', klast)
    if last then
      last = tonumber(last)
    else
      local top = redis.call('XREVRANGE', kstream, '+', '-', 'COUNT', 1)
      last = top[1] and tonumber(string.match(top[1][1], '^(%d+)')) or false
    end
    lasts[klast] = last
  end
  if last == false then last = nil end
  local floor = tonumber(floorarg)
  if floor > 0 and (last == nil or last < floor - 1) then last = floor - 1 end
  local seq = tonumber(seqarg)
  if last == nil and seq == 1 then last = 0 end
  if last ~= nil and seq <= last then return 0 end
  if last == nil or seq > last + 1 then
    redis.call('HSET', kparked, seqarg, payload)
    redis.call('EXPIRE', kparked, ttl)
    if last == nil then return -2 end
    return -1
  end
  local id = seqarg
  while payload do
    redis.call('XADD', kstream, 'MAXLEN', '~', maxlen, id .. '-1', 'e', payload)
    redis.call('PUBLISH', channel, payload)
    last = seq
    seq = seq + 1
    id = string.format('%d', seq)
    payload = redis.call('HGET', kparked, id)
    if payload then redis.call('HDEL', kparked, id) end
  end
  redis.call('SET', klast, string.format('%d', last), 'EX', ttl)
  lasts[klast] = last
  streams[kstream] = true
  return 1
end
local results = {}
local a = 3
for k = 1, #KEYS, 3 do
  results[#results + 1] = publish(KEYS[k], KEYS[k + 1], KEYS[k + 2], ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3])
  a = a + 4
end
for kstream in pairs(streams) do redis.call('EXPIRE', kstream, ttl) end
return results
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
 * to resync. ARGV[7] > 0 (a publisher's first lobby publish after a reconnect: maybe to
 * a new primary that lost the last few INCRs to asynchronous replication) is the highest
 * seq that publisher was given before: a counter at or below it has lost seqs somebody
 * saw, and is lifted the same way. A counter above it is left alone, so a Redis that
 * came back with its data (a restart with persistence, a blip) costs no subscriber a
 * resync. The lobby's keys do not expire (all three are bounded).
 * The seq is formatted with %d: Lua's default would print 16 digits in exponent form.
 * A lobby row is a game's state as of its seq (ARGV[8]; '' for an event about no
 * game): the newest version published per game is remembered (KEYS[4], expiring with
 * the game topic's keys), and a row older than it is dropped like a duplicate, so no
 * subscriber ever sees a game go back in time however the replicas' publishes race.
 * KEYS: stream, last, ids, version. ARGV: channel, payload before the seq, payload after
 * it, event id, maxlen, id window, highest seq seen (0: none), game seq, ttl. Returns the seq (a string), 0 for
 * a duplicate or an older state.
 */
export const PUBLISH_LOBBY_LUA = `
if redis.call('ZSCORE', KEYS[3], ARGV[4]) then return 0 end
if ARGV[8] ~= '' then
  local v = redis.call('GET', KEYS[4])
  if v and tonumber(v) > tonumber(ARGV[8]) then return 0 end
  redis.call('SET', KEYS[4], ARGV[8], 'EX', ARGV[9])
end
local n = redis.call('INCR', KEYS[2])
local seq = string.format('%d', n)
local high = tonumber(ARGV[7])
if n == 1 or (high > 0 and n <= high) then
  local t = redis.call('TIME')
  local now = tonumber(t[1] .. string.format('%06d', tonumber(t[2])))
  if now <= high then now = high + 1 end
  seq = string.format('%d', now)
  redis.call('SET', KEYS[2], seq)
end
local payload = ARGV[2] .. seq .. ARGV[3]
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[5], seq .. '-1', 'e', payload)
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[4])
if redis.call('ZCARD', KEYS[3]) > tonumber(ARGV[6]) + 1000 then redis.call('ZREMRANGEBYRANK', KEYS[3], 0, 999) end
redis.call('PUBLISH', ARGV[1], payload)
return seq
`;

/**
 * One replica's presence on one game topic, written in one call instead of up to twelve
 * commands (the event-stream writes it when a game's watchers come and go): its count
 * (0 removes its field), the players that left (field removed, last seen now) and
 * arrived or changed (field value, seen now), the keys' TTLs (the seats' too: they live
 * while the game is watched), the topic in or out of the replica's set of topics (what
 * the others clean up if it dies), then the announcement.
 * KEYS: presence, players, seen, seats, the replica's topics. ARGV: replica id, count,
 * ttl, channel, topic, now ms, players given ('1'/'0'), the replica holds the topic
 * ('1'/'0'), number of leavers, the leavers' ids, then id/value pairs.
 */
export const PRESENCE_SET_LUA = `
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
if ARGV[7] == '1' then
  local i = 10
  for _ = 1, tonumber(ARGV[9]) do
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
redis.call('EXPIRE', KEYS[4], ARGV[3])
if ARGV[8] == '1' then redis.call('SADD', KEYS[5], ARGV[5]) else redis.call('SREM', KEYS[5], ARGV[5]) end
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
`;

/**
 * A replay read: a topic's events after a seq and its last seq, as of one moment. One
 * call (the event-stream makes one for each game its sockets join) instead of MULTI,
 * XRANGE, GET and EXEC. KEYS: stream, last. ARGV: the first stream id wanted.
 */
export const REPLAY_LUA = `
return { redis.call('XRANGE', KEYS[1], ARGV[1], '+'), redis.call('GET', KEYS[2]) }
`;
