--[[
  Applies a patch to a workflow atomically; a new definition bumps the version by exactly one
  and is kept as that version. updated_at moves to max(now, previous + 1 ms).
  KEYS[1] definition hash  KEYS[2] versions hash  KEYS[3] by_updated  KEYS[4] by_name
  KEYS[5] tenant stats hash  KEYS[6] scheduled workflows set
  ARGV[1] tenant  ARGV[2] id  ARGV[3] now (ms)  ARGV[4] patch JSON (string fields as given;
          `definition` already a JSON string)
  Returns: 0 when the workflow does not exist for this tenant, else the updated hash (HGETALL)
]]
if redis.call('HGET', KEYS[1], 'tenant_id') ~= ARGV[1] then return 0 end
local patch = cjson.decode(ARGV[4])
local previous = tonumber(redis.call('HGET', KEYS[1], 'updated_at'))
local now = math.max(tonumber(ARGV[3]), previous + 1)
redis.call('HSET', KEYS[1], 'updated_at', now)
redis.call('ZADD', KEYS[3], now, ARGV[2])
for field, value in pairs(patch) do
  if field == 'name' then
    local old = redis.call('HGET', KEYS[1], 'name')
    redis.call('ZREM', KEYS[4], old .. '\0' .. ARGV[2])
    redis.call('ZADD', KEYS[4], 0, value .. '\0' .. ARGV[2])
  elseif field == 'state' then
    local old = redis.call('HGET', KEYS[1], 'state')
    redis.call('HINCRBY', KEYS[5], 'wf:' .. old, -1)
    redis.call('HINCRBY', KEYS[5], 'wf:' .. value, 1)
  end
  redis.call('HSET', KEYS[1], field, value)
end
if patch['definition'] then
  local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
  redis.call('HSET', KEYS[2], tostring(version), patch['definition'])
  -- The same superset test as workflow_create.lua.
  if string.find(patch['definition'], '"schedule":', 1, true) then
    redis.call('SADD', KEYS[6], ARGV[2])
  else
    redis.call('SREM', KEYS[6], ARGV[2])
  end
end
return redis.call('HGETALL', KEYS[1])
