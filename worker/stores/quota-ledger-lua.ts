/**
 * Charges every counter of one event in one atomic script.
 *
 * KEYS[1]        the tenant's index of counter keys (ZSET scored by expiry, epoch ms; a read
 *                also lists its counter, so a period with nothing counted yet shows up with 0)
 * KEYS[3i-1]     counter i's slots: member -> how many members it held when the member was
 *                counted (HASH; HLEN is the count)
 * KEYS[3i]       counter i's history: member -> JSON {eventId, atMs, ...meta} (HASH); a member
 *                that moved to another contract keeps its entry here, marked movedTo
 * KEYS[3i+1]     the member's owner: JSON {scope, keys} — the contract scope that counts it and
 *                the counters it is in ('' when the counter only reads)
 * ARGV[1]        the event id
 * ARGV[2]        now, epoch ms (entries of the index older than this are dropped)
 * ARGV[3]        the key base of counters ('<prefix>:{tenant}:quota')
 * ARGV[3+6(i-1)+1..6]  per counter i: '1' to count a member or '0' to only read, the member,
 *                the counter key, the history JSON to store if it is new, the expiry of the
 *                counter's keys (epoch ms), '1' when a member counted under another scope may
 *                move here (a ticket whose period is still open) or '0' when it stays there
 *
 * Returns four values per counter: count, slot (-1 = none), chargedNow (1 when the member's
 * history names this event id, so a retry of the same event still gets 1), and the scope the
 * member stays counted under when that is not this counter's ('' otherwise).
 *
 * A move reaches counters of the old scope that are not in KEYS. They share the tenant's hash
 * tag, so they live in the same Redis Cluster slot as every key that is declared.
 */
export const CHARGE_LUA = `
local event, now, base = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local index = KEYS[1]
redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. now)
local out = {}
for i = 1, (#KEYS - 1) / 3 do
  local positions, history, ownerKey = KEYS[3 * i - 1], KEYS[3 * i], KEYS[3 * i + 1]
  local a = 3 + 6 * (i - 1)
  local charge, member, counter, record = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local expireAt, movable = tonumber(ARGV[a + 5]), ARGV[a + 6]
  local scope = string.match(counter, '^([^/]*)')
  local position, now1, under = -1, 0, ''
  if charge == '1' then
    local raw = redis.call('GET', ownerKey)
    local owner = raw and cjson.decode(raw) or nil
    local movedFrom = nil
    if owner and owner.scope ~= scope then
      if movable == '1' then
        for _, k in ipairs(owner.keys) do
          local oldHistory = base .. ':' .. k .. ':history'
          if redis.call('HDEL', base .. ':' .. k .. ':positions', member) == 1 then
            local entry = redis.call('HGET', oldHistory, member)
            local e = entry and cjson.decode(entry) or {}
            e.movedTo = scope
            e.movedAt = now
            e.movedBy = event
            redis.call('HSET', oldHistory, member, cjson.encode(e))
          end
        end
        movedFrom = owner.scope
        owner = nil
      else
        under = owner.scope
      end
    end
    if under == '' then
      local existing = redis.call('HGET', positions, member)
      if existing then
        position = tonumber(existing)
        local entry = redis.call('HGET', history, member)
        if entry and cjson.decode(entry).eventId == event then now1 = 1 end
      else
        position = redis.call('HLEN', positions)
        redis.call('HSET', positions, member, position)
        if movedFrom then
          local e = cjson.decode(record)
          e.movedFrom = movedFrom
          record = cjson.encode(e)
        end
        redis.call('HSET', history, member, record)
        now1 = 1
      end
      owner = owner or { scope = scope, keys = {} }
      local listed = false
      for _, k in ipairs(owner.keys) do
        if k == counter then listed = true end
      end
      if not listed then
        owner.keys[#owner.keys + 1] = counter
        redis.call('SET', ownerKey, cjson.encode(owner))
      end
      local ttl = redis.call('PTTL', ownerKey)
      if ttl < 0 or now + ttl < expireAt then redis.call('PEXPIREAT', ownerKey, expireAt) end
    end
  end
  redis.call('ZADD', index, 'GT', expireAt, counter)
  redis.call('PEXPIREAT', positions, expireAt)
  redis.call('PEXPIREAT', history, expireAt)
  out[#out + 1] = redis.call('HLEN', positions)
  out[#out + 1] = position
  out[#out + 1] = now1
  out[#out + 1] = under
end
return out
`;

/**
 * Claims alerts, one per counter and threshold for the whole tenant: the first event to claim
 * one owns it, and a retry of that event still owns it.
 *
 * KEYS[i]   counter i's alerts: threshold -> the event id that raised it (HASH)
 * ARGV[1]   the event id; ARGV[2i], ARGV[2i+1]: the threshold ('overage' for the overage
 *           alert) and the expiry of the counter's keys (epoch ms)
 * Returns 1 per alert this event owns, 0 per alert another event raised already.
 */
export const CLAIM_ALERTS_LUA = `
local out = {}
for i = 1, #KEYS do
  local field = ARGV[2 * i]
  redis.call('HSETNX', KEYS[i], field, ARGV[1])
  redis.call('PEXPIREAT', KEYS[i], tonumber(ARGV[2 * i + 1]))
  out[i] = redis.call('HGET', KEYS[i], field) == ARGV[1] and 1 or 0
end
return out
`;
