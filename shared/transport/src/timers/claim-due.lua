--[[
  Claims due timers for one executor replica.
  KEYS[1] pending zset (member = timer id, score = due epoch ms)
  KEYS[2] timer data hash (field = timer id, value = JSON)
  ARGV[1] now (epoch ms)
  ARGV[2] limit
  ARGV[3] lease (ms): a claimed timer is re-scored to now + lease, so it becomes due again if
          the claimer dies before completing it.
  Returns: a flat list of timer JSON documents.
]]
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
local leaseUntil = tonumber(ARGV[1]) + tonumber(ARGV[3])
for _, id in ipairs(ids) do
  local json = redis.call('HGET', KEYS[2], id)
  if json then
    redis.call('ZADD', KEYS[1], leaseUntil, id)
    table.insert(out, json)
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out
