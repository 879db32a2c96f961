/**
 * Charges every counter of one event in one atomic script.
 *
 * KEYS[1]       the tenant's index of counter keys (SET; a read also lists its counter, so a
 *               period with nothing counted yet shows up with count 0)
 * KEYS[2i]      counter i's positions: member -> 0-based position (HASH; HLEN is the count)
 * KEYS[2i+1]    counter i's history: member -> JSON {eventId, atMs, ...meta} (HASH)
 * ARGV[1]       the event id
 * ARGV[4i-2..]  per counter i: '1' to count a member or '0' to only read, the member,
 *               the counter key (for the index), the history JSON to store if it is new
 *
 * Returns three integers per counter: count, position (-1 = none), chargedNow (1 when the
 * member's history names this event id, so a retry of the same event still gets 1).
 */
export const CHARGE_LUA = `
local event = ARGV[1]
local out = {}
for i = 1, (#KEYS - 1) / 2 do
  local positions, history = KEYS[2 * i], KEYS[2 * i + 1]
  local a = 4 * i - 2
  local charge, member, counter, record = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local position, now = -1, 0
  if charge == '1' then
    local existing = redis.call('HGET', positions, member)
    if existing then
      position = tonumber(existing)
      local entry = redis.call('HGET', history, member)
      if entry and cjson.decode(entry).eventId == event then now = 1 end
    else
      position = redis.call('HLEN', positions)
      redis.call('HSET', positions, member, position)
      redis.call('HSET', history, member, record)
      now = 1
    end
  end
  redis.call('SADD', KEYS[1], counter)
  out[#out + 1] = redis.call('HLEN', positions)
  out[#out + 1] = position
  out[#out + 1] = now
end
return out
`;
