--[[
  Deletes log lines older than a cutoff, from the log keys whose oldest line is older (the index
  the appends keep), until about `limit` lines are gone. A key left empty leaves the index; one
  with newer lines is re-scored at its oldest remaining line.
  KEYS[1] logs by oldest line index
  ARGV[1] cutoff (ms; lines strictly before it go)  ARGV[2] limit
  Returns: how many lines were deleted
]]
local limit = tonumber(ARGV[2])
local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, limit)
local deleted = 0
for _, key in ipairs(keys) do
  if deleted >= limit then break end
  deleted = deleted + redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. ARGV[1])
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #first == 0 then
    redis.call('ZREM', KEYS[1], key)
  else
    redis.call('ZADD', KEYS[1], first[2], key)
  end
end
return deleted
