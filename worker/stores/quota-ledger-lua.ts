/**
 * Charges every counter of one event atomically. KEYS[1] is the tenant's counter index; then
 * per counter its member→position hash and its member→history hash. ARGV: eventId, atMs, n,
 * then per counter: member ('' = read only) and counter key. Returns per counter: count,
 * position (-1 = none), chargedNow (1 when this eventId counted the member).
 */
export const CHARGE_LUA = `
local event, at, n = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for i = 1, n do
  local positions, history = KEYS[2 * i], KEYS[2 * i + 1]
  local member, counter = ARGV[2 + 2 * i], ARGV[3 + 2 * i]
  redis.call('SADD', KEYS[1], counter)
  local position, charged = -1, 0
  if member ~= '' then
    local existing = redis.call('HGET', positions, member)
    if existing then
      position = tonumber(existing)
      local entry = redis.call('HGET', history, member)
      if entry and cjson.decode(entry).eventId == event then charged = 1 end
    else
      position = redis.call('HLEN', positions)
      redis.call('HSET', positions, member, position)
      redis.call('HSET', history, member, cjson.encode({ eventId = event, atMs = at }))
      charged = 1
    end
  end
  out[#out + 1] = redis.call('HLEN', positions)
  out[#out + 1] = position
  out[#out + 1] = charged
end
return out
`;
