--[[
  Filters, sorts and pages one tenant's workflows inside Redis: walks the chosen index in order,
  reads only the fields the filters need, counts every match and returns the page's ids.
  Cost: O(workflows of the tenant) when filters are set; the created range narrows the walk when
  sorting by created_at.
  KEYS[1] the sort index (by_created, by_updated or by_name)
  ARGV[1] 'asc' | 'desc'   ARGV[2] offset   ARGV[3] limit   ARGV[4] filters JSON
          {state?, name?, tags?, words?, from?, to?} (name and words lower-cased)
  ARGV[5] key prefix of definition hashes   ARGV[6] 1 when the index is by_name (member name\0id)
  Returns: {total, id1, id2, ...}
]]
local f = cjson.decode(ARGV[4])
local members
if ARGV[1] == 'asc' then members = redis.call('ZRANGE', KEYS[1], 0, -1)
else members = redis.call('ZREVRANGE', KEYS[1], 0, -1) end
local offset, limit = tonumber(ARGV[2]), tonumber(ARGV[3])
local total, page = 0, {}
for _, member in ipairs(members) do
  local id = member
  if ARGV[6] == '1' then id = string.match(member, '%z(.*)$') end
  local h = redis.call('HMGET', ARGV[5] .. id, 'state', 'name_lower', 'description_lower', 'tags', 'created_at')
  local ok = h[1] ~= false
  if ok and f.state then ok = h[1] == f.state end
  if ok and f.name then ok = string.find(h[2], f.name, 1, true) ~= nil end
  if ok and f.words then
    for _, w in ipairs(f.words) do
      if not (string.find(h[2], w, 1, true) or string.find(h[3], w, 1, true)) then ok = false break end
    end
  end
  if ok and f.tags then
    local have = {}
    for _, t in ipairs(cjson.decode(h[4])) do have[t] = true end
    for _, t in ipairs(f.tags) do if not have[t] then ok = false break end end
  end
  if ok and f.from then ok = tonumber(h[5]) >= f.from end
  if ok and f.to then ok = tonumber(h[5]) <= f.to end
  if ok then
    total = total + 1
    if total > offset and #page < limit then page[#page + 1] = id end
  end
end
local out = {total}
for _, id in ipairs(page) do out[#out + 1] = id end
return out
