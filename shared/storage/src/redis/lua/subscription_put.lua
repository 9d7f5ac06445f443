--[[
  Stores a subscription and its place in the tenant's index by event type, replacing the old one.
  KEYS[1] subscriptions hash (field → subscription JSON)  KEYS[2] field → types JSON hash
  KEYS[3] set of the fields of any event type
  ARGV[1] field  ARGV[2] subscription JSON (nil for a removal)  ARGV[3] prefix of the per-type sets
  ARGV[4] JSON array of the literal event types, `[]` for any type
  ARGV[5] '1': index only when the subscription is stored and not yet indexed (the backfill)
  Type sets are named by the prefix plus the type, built here (the field's old types are only
  known here): the keys share the tenant's prefix, as the execution scripts' status indexes do.
]]
local field = ARGV[1]
if ARGV[5] == '1' then
  if redis.call('HEXISTS', KEYS[1], field) == 0 or redis.call('HEXISTS', KEYS[2], field) == 1 then return 0 end
end
local old = redis.call('HGET', KEYS[2], field)
if old then
  local types = cjson.decode(old)
  if #types == 0 then redis.call('SREM', KEYS[3], field) end
  for _, t in ipairs(types) do redis.call('SREM', ARGV[3] .. t, field) end
end
if ARGV[2] == '' then
  redis.call('HDEL', KEYS[1], field)
  redis.call('HDEL', KEYS[2], field)
  return 1
end
if ARGV[5] ~= '1' then redis.call('HSET', KEYS[1], field, ARGV[2]) end
redis.call('HSET', KEYS[2], field, ARGV[4])
local types = cjson.decode(ARGV[4])
if #types == 0 then redis.call('SADD', KEYS[3], field) end
for _, t in ipairs(types) do redis.call('SADD', ARGV[3] .. t, field) end
return 1
