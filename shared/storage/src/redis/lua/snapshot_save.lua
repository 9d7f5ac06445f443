--[[
  Stores a snapshot unless a newer one is stored.
  KEYS[1] snapshot hash  ARGV[1] sequence  ARGV[2] state JSON
  Returns: 1 when stored, 0 when an equal or newer one was kept
]]
local current = tonumber(redis.call('HGET', KEYS[1], 'sequence') or '-1')
if current >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'sequence', ARGV[1], 'state', ARGV[2])
return 1
