--[[
  Filters, sorts and pages one tenant's executions inside Redis (see workflow_list.lua).
  KEYS[1] the narrowest index for the filters: by_workflow:<id>:status:<s>, by_workflow:<id>,
          by_status:<s> or by_started (each scored by start time)
  ARGV[1] 'asc' | 'desc'  ARGV[2] offset  ARGV[3] limit  ARGV[4] filters JSON
          {workflow?, status?, correlation?, from?, to?}  ARGV[5] execution hash key prefix
  ARGV[6] sort field: 'started_at' (index order), 'completed_at' or 'status' (sorted here)
  ARGV[7] '1' when the index alone answers the filters and the order (no correlation filter,
          sorted by start): the page is read straight from it, whatever the tenant's size
  Returns: {total, id1, id2, ...}
]]
local f = cjson.decode(ARGV[4])
local desc = ARGV[1] == 'desc'
if ARGV[7] == '1' then
  local lo, hi = f.from or '-inf', f.to or '+inf'
  local out = {redis.call('ZCOUNT', KEYS[1], lo, hi)}
  local page
  if desc then page = redis.call('ZREVRANGEBYSCORE', KEYS[1], hi, lo, 'LIMIT', ARGV[2], ARGV[3])
  else page = redis.call('ZRANGEBYSCORE', KEYS[1], lo, hi, 'LIMIT', ARGV[2], ARGV[3]) end
  for _, id in ipairs(page) do out[#out + 1] = id end
  return out
end
local ids
if f.from or f.to then
  local lo, hi = f.from or '-inf', f.to or '+inf'
  if desc then ids = redis.call('ZREVRANGEBYSCORE', KEYS[1], hi, lo)
  else ids = redis.call('ZRANGEBYSCORE', KEYS[1], lo, hi) end
elseif desc then ids = redis.call('ZREVRANGE', KEYS[1], 0, -1)
else ids = redis.call('ZRANGE', KEYS[1], 0, -1) end
local matches = {}
for _, id in ipairs(ids) do
  local h = redis.call('HMGET', ARGV[5] .. id, 'workflow_id', 'status', 'correlation_id', 'completed_at')
  local ok = h[1] ~= false
  if ok and f.workflow then ok = h[1] == f.workflow end
  if ok and f.status then ok = h[2] == f.status end
  if ok and f.correlation then ok = h[3] == f.correlation end
  if ok then matches[#matches + 1] = {id = id, status = h[2], completed = tonumber(h[4] or '') } end
end
if ARGV[6] ~= 'started_at' then
  local field = ARGV[6] == 'status' and 'status' or 'completed'
  table.sort(matches, function(a, b)
    local x, y = a[field], b[field]
    -- Runs without the field sort last in either direction, as in SQL's NULLS LAST.
    if x == nil and y == nil then if desc then return a.id > b.id else return a.id < b.id end end
    if x == nil then return false end
    if y == nil then return true end
    if x == y then if desc then return a.id > b.id else return a.id < b.id end end
    if desc then return x > y else return x < y end
  end)
end
local offset, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {#matches}
for i = offset + 1, math.min(#matches, offset + limit) do out[#out + 1] = matches[i].id end
return out
