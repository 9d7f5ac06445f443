--[[
  Removes a workflow, its versions and its index entries.
  KEYS[1] definition hash  KEYS[2] versions hash  KEYS[3] by_created  KEYS[4] by_updated
  KEYS[5] by_name  KEYS[6] tenant stats hash  KEYS[7] scheduled workflows set
  ARGV[1] tenant  ARGV[2] id
  Returns: 0 when the workflow does not exist for this tenant, else its version (1 or more)
]]
if redis.call('HGET', KEYS[1], 'tenant_id') ~= ARGV[1] then return 0 end
local name = redis.call('HGET', KEYS[1], 'name')
local state = redis.call('HGET', KEYS[1], 'state')
local version = tonumber(redis.call('HGET', KEYS[1], 'version'))
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZREM', KEYS[4], ARGV[2])
redis.call('ZREM', KEYS[5], name .. '\0' .. ARGV[2])
redis.call('HINCRBY', KEYS[6], 'wf:total', -1)
redis.call('HINCRBY', KEYS[6], 'wf:' .. state, -1)
redis.call('SREM', KEYS[7], ARGV[2])
return version
