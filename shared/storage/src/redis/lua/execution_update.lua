--[[
  Applies a patch to an execution atomically; keeps status counters, the unfinished index and the
  status indexes (moves the id from by_status:<old> to by_status:<new>, likewise per workflow).
  KEYS[1] execution hash  KEYS[2] tenant stats hash  KEYS[3] unfinished index
  ARGV[1] tenant  ARGV[2] id  ARGV[3] now (ms)  ARGV[4] '1' = leave a terminal execution alone
  ARGV[5] patch JSON (values already encoded as hash field strings)
  ARGV[6] the tenant's execution index prefix (keys.executionIndexes)
  Returns: 0 when the execution does not exist, else the hash as left (HGETALL)
]]
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
local terminal = status == 'completed' or status == 'faulted' or status == 'cancelled'
if terminal and ARGV[4] == '1' then return redis.call('HGETALL', KEYS[1]) end
local patch = cjson.decode(ARGV[5])
for field, value in pairs(patch) do redis.call('HSET', KEYS[1], field, value) end
redis.call('HSET', KEYS[1], 'updated_at', ARGV[3])
local next = patch['status'] or status
if next ~= status then
  redis.call('HINCRBY', KEYS[2], 'ex:' .. status, -1)
  redis.call('HINCRBY', KEYS[2], 'ex:' .. next, 1)
  local meta = redis.call('HMGET', KEYS[1], 'workflow_id', 'started_at')
  local byWorkflow = ARGV[6] .. 'by_workflow:' .. meta[1] .. ':status:'
  redis.call('ZREM', ARGV[6] .. 'by_status:' .. status, ARGV[2])
  redis.call('ZREM', byWorkflow .. status, ARGV[2])
  redis.call('ZADD', ARGV[6] .. 'by_status:' .. next, meta[2], ARGV[2])
  redis.call('ZADD', byWorkflow .. next, meta[2], ARGV[2])
end
local member = ARGV[1] .. '\0' .. ARGV[2]
if next == 'completed' or next == 'faulted' or next == 'cancelled' then
  redis.call('ZREM', KEYS[3], member)
else
  redis.call('ZADD', KEYS[3], ARGV[3], member)
end
return redis.call('HGETALL', KEYS[1])
