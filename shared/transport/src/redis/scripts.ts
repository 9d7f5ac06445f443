/**
 * Lua scripts: each is one atomic step that would otherwise race between round trips. Headers
 * list KEYS, ARGV and the reply. They run on a single Redis node (or Sentinel primary): keys of
 * one call are not guaranteed to share a cluster slot.
 */

/**
 * Appends an event and, the first time the stream is seen, registers and announces it. The
 * announcement is written after the event, so a subscriber reacting to it always finds the event.
 * KEYS[1] workflow stream, KEYS[2] stream registry (set), KEYS[3] announcements (stream)
 * ARGV[1] event JSON, ARGV[2] approximate max length of the announcements stream
 * Reply: the new entry id.
 */
export const PUBLISH_FIRST = `
local id = redis.call('XADD', KEYS[1], '*', 'event', ARGV[1])
if redis.call('SADD', KEYS[2], KEYS[1]) == 1 then
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[2], '*', 'stream', KEYS[1])
end
return id
`;

/**
 * Claims, for this consumer, the messages of the given streams that have been idle (unacked and
 * not heartbeated) for at least ARGV[3] ms, and reports each one's delivery count after the claim.
 * A stream whose group is missing (stream deleted meanwhile) is skipped.
 * KEYS workflow streams
 * ARGV[1] group, ARGV[2] consumer, ARGV[3] min idle ms, ARGV[4] max messages per stream
 * Reply: array of { stream, id, deliveries, fields }.
 */
export const RECLAIM = `
local out = {}
local limit = tonumber(ARGV[4])
for _, key in ipairs(KEYS) do
  local cursor = '0-0'
  local claimed = 0
  -- XAUTOCLAIM scans a bounded slice of the pending list per call; follow its cursor a few times
  -- so idle messages behind many healthy in-flight ones are still found.
  for _ = 1, 8 do
    local res = redis.pcall('XAUTOCLAIM', key, ARGV[1], ARGV[2], ARGV[3], cursor, 'COUNT', limit - claimed)
    if type(res) ~= 'table' or res.err then break end
    for _, entry in ipairs(res[2]) do
      if entry[2] then
        local pending = redis.call('XPENDING', key, ARGV[1], entry[1], entry[1], 1)
        local deliveries = 1
        if pending[1] then deliveries = pending[1][4] end
        out[#out + 1] = { key, entry[1], deliveries, entry[2] }
        claimed = claimed + 1
      end
    end
    cursor = res[1]
    if cursor == '0-0' or claimed >= limit then break end
  end
end
return out
`;

/**
 * Heartbeat of messages whose handlers are still running: resets their idle time so that no other
 * consumer reclaims them, without counting a delivery (XCLAIM JUSTID). A message now owned by
 * another consumer (reclaimed while our heartbeat was late) is left to it and reported.
 * KEYS workflow streams
 * ARGV[1] group, ARGV[2] consumer, then for each key: n, followed by n entry ids
 * Reply: array of { stream, id } that this consumer no longer owns.
 */
export const HEARTBEAT = `
local lost = {}
local a = 3
for _, key in ipairs(KEYS) do
  local n = tonumber(ARGV[a])
  for i = a + 1, a + n do
    local id = ARGV[i]
    local pending = redis.call('XPENDING', key, ARGV[1], id, id, 1)
    if pending[1] and pending[1][2] == ARGV[2] then
      redis.call('XCLAIM', key, ARGV[1], ARGV[2], 0, id, 'JUSTID')
    else
      lost[#lost + 1] = { key, id }
    end
  end
  a = a + n + 1
end
return lost
`;

/**
 * Records a handler's error for a message that will be retried, unless the message has meanwhile
 * been acknowledged or claimed by another consumer (whose outcome then matters instead).
 * KEYS[1] workflow stream, KEYS[2] last-errors hash of the group
 * ARGV[1] group, ARGV[2] consumer, ARGV[3] entry id, ARGV[4] error text
 * Reply: 1 if recorded, 0 if not.
 */
export const RECORD_FAILURE = `
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
if pending[1] and pending[1][2] == ARGV[2] then
  redis.call('HSET', KEYS[2], KEYS[1] .. ' ' .. ARGV[3], ARGV[4])
  return 1
end
return 0
`;

/**
 * Trims a workflow stream below the oldest entry any registered group still needs: its first
 * pending entry, or else the entry after its last-delivered one. A registered group that has no
 * group on this stream yet is created from the start of the stream and blocks trimming (it has
 * read nothing), so an event is never trimmed before every group has acknowledged it.
 * KEYS[1] workflow stream, KEYS[2] group registry (set)
 * ARGV none
 * Reply: number of entries removed.
 */
export const TRIM = `
local registered = redis.call('SMEMBERS', KEYS[2])
if #registered == 0 or redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local known = {}
local minMs, minSeq
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local f = {}
  for i = 1, #group, 2 do f[group[i]] = group[i + 1] end
  known[f['name']] = true
  local ms, seq
  if f['pending'] > 0 then
    ms, seq = parse(redis.call('XPENDING', KEYS[1], f['name'])[2])
  else
    ms, seq = parse(f['last-delivered-id'])
    seq = seq + 1
  end
  if minMs == nil or ms < minMs or (ms == minMs and seq < minSeq) then
    minMs, minSeq = ms, seq
  end
end
local missing = false
for _, name in ipairs(registered) do
  if not known[name] then
    redis.call('XGROUP', 'CREATE', KEYS[1], name, '0')
    missing = true
  end
end
if missing or minMs == nil then return 0 end
return redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f-%.0f', minMs, minSeq))
`;
