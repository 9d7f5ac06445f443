--[[
  Reads an execution's log lines oldest first, filtered in Redis.
  KEYS[1] log zset (score = timestamp ms, member = JSON line)
  ARGV[1] step run id or ''  ARGV[2] level or ''  ARGV[3] limit
  Returns: the matching JSON lines
]]
local out = {}
for _, line in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local entry = cjson.decode(line)
  if (ARGV[1] == '' or entry.step_run_id == ARGV[1]) and (ARGV[2] == '' or entry.level == ARGV[2]) then
    out[#out + 1] = line
    if #out >= tonumber(ARGV[3]) then break end
  end
end
return out
