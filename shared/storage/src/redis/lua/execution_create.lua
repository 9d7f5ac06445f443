--[[
  Creates an execution, or returns the one created earlier with the same idempotency key.
  KEYS[1] execution hash  KEYS[2] by_started index  KEYS[3] tenant stats hash
  KEYS[4] unfinished index  KEYS[5] idempotency key ('' when none was given)
  KEYS[6] by_workflow index  KEYS[7] by_status:pending index  KEYS[8] by_workflow:<id>:status:pending
  ARGV[1] id  ARGV[2] now (ms)  ARGV[3] tenant  ARGV[4..] field/value pairs
  Returns: {1, id, hash...} when created, {0, existing id, hash...} when the key was used before
  (hash: the execution's HGETALL, so the caller needs no second round trip to read it)
]]
if KEYS[5] ~= '' then
  local existing = redis.call('GET', KEYS[5])
  if existing then
    local out = {0, existing}
    for _, v in ipairs(redis.call('HGETALL', string.sub(KEYS[1], 1, #KEYS[1] - #ARGV[1]) .. existing)) do
      out[#out + 1] = v
    end
    return out
  end
  redis.call('SET', KEYS[5], ARGV[1])
end
redis.call('HSET', KEYS[1], 'status', 'pending', 'started_at', ARGV[2], 'updated_at', ARGV[2], unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[6], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[7], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[8], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3] .. '\0' .. ARGV[1])
redis.call('HINCRBY', KEYS[3], 'ex:total', 1)
redis.call('HINCRBY', KEYS[3], 'ex:pending', 1)
local out = {1, ARGV[1]}
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do out[#out + 1] = v end
return out
