--[[
  Creates a workflow with its version 1 and index entries, atomically.
  KEYS[1] definition hash   KEYS[2] versions hash   KEYS[3] by_created   KEYS[4] by_updated
  KEYS[5] by_name           KEYS[6] tenant stats hash  KEYS[7] scheduled workflows set
  ARGV[1] id  ARGV[2] now (ms)  ARGV[3] name  ARGV[4] state  ARGV[5] definition JSON
  ARGV[6..] field/value pairs of the remaining hash fields
  Returns: 1
]]
redis.call('HSET', KEYS[1], 'version', 1, 'created_at', ARGV[2], 'updated_at', ARGV[2],
  'name', ARGV[3], 'state', ARGV[4], 'definition', ARGV[5], unpack(ARGV, 6))
redis.call('HSET', KEYS[2], '1', ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[5], 0, ARGV[3] .. '\0' .. ARGV[1])
redis.call('HINCRBY', KEYS[6], 'wf:total', 1)
redis.call('HINCRBY', KEYS[6], 'wf:' .. ARGV[4], 1)
-- A plain search: the set may hold a few unscheduled ids (a nested "schedule" key), never miss one.
if string.find(ARGV[5], '"schedule":', 1, true) then redis.call('SADD', KEYS[7], ARGV[1]) end
return 1
