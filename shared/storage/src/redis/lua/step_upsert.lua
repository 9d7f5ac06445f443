--[[
  Writes a step run and its place in the execution's order, atomically, as one command (a MULTI
  is written to the socket on its own; a script call joins the client's auto-pipeline).
  KEYS[1] step runs hash  KEYS[2] step order sorted set
  ARGV[1] step id  ARGV[2] step JSON  ARGV[3] started-at score (ms)
]]
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
