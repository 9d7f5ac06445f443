--[[
  Appends events to an execution's history: consecutive sequences, repeated ids ignored, all or
  nothing, optionally only at an expected last sequence. Event JSON is stored as sent (never
  decoded here: Lua's cjson would change large numbers and empty arrays).
  KEYS[1] history list (entries `{"sequence":N,"event":<json>}`)  KEYS[2] id → sequence hash
  ARGV[1] expected last sequence, or -1 for none  ARGV[2..] pairs of event id and event JSON
  Returns: the sequences given to the pairs, 0 for an id already stored; or the error 'CONFLICT'
]]
local last = redis.call('LLEN', KEYS[1])
if tonumber(ARGV[1]) >= 0 and last ~= tonumber(ARGV[1]) then return redis.error_reply('CONFLICT') end
local sequences = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  if redis.call('HSETNX', KEYS[2], id, last + 1) == 1 then
    last = last + 1
    redis.call('RPUSH', KEYS[1], '{"sequence":' .. last .. ',"event":' .. ARGV[i + 1] .. '}')
    sequences[#sequences + 1] = last
  else
    sequences[#sequences + 1] = 0
  end
end
return sequences
