--[[
  Adds a slice of a tenant's executions (stored before the narrower indexes existed) to the
  by_workflow, by_status and by_workflow+status indexes, each as it is now. Idempotent, and safe
  beside the create and update scripts: each id is read and indexed in this one atomic call.
  KEYS[1] by_started index
  ARGV[1] offset  ARGV[2] count  ARGV[3] execution hash key prefix  ARGV[4] index prefix
  Returns: how many ids the slice held (fewer than ARGV[2]: the last slice)
]]
local ids = redis.call('ZRANGE', KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[1]) + tonumber(ARGV[2]) - 1)
for _, id in ipairs(ids) do
  local h = redis.call('HMGET', ARGV[3] .. id, 'workflow_id', 'status', 'started_at')
  if h[1] and h[2] and h[3] then
    redis.call('ZADD', ARGV[4] .. 'by_workflow:' .. h[1], h[3], id)
    redis.call('ZADD', ARGV[4] .. 'by_status:' .. h[2], h[3], id)
    redis.call('ZADD', ARGV[4] .. 'by_workflow:' .. h[1] .. ':status:' .. h[2], h[3], id)
  end
end
return #ids
