/**
 * Charges every counter of one event in one atomic script. Units are kept in thousandths
 * (integers), so weights such as 1.5 add up exactly.
 *
 * KEYS[1]        the tenant's index of counter keys (ZSET scored by expiry, epoch ms; a read
 *                also lists its counter, so a period with nothing counted yet shows up with 0)
 * KEYS[2]        the ticket's counts: SET of '<counter key>\n<member>', everything ever counted
 *                for this ticket (its own count and its replies), so a waive can release them all
 * KEYS[3]        the ticket's waive state: JSON {waived, asOf, at, by}
 * KEYS[4i]       counter i's slots: member -> the units the counter held when the member was
 *                counted, in thousandths (HASH; HLEN is how many members count)
 * KEYS[4i+1]     counter i's history: member -> JSON {eventId, atMs, weight, ...meta} (HASH); a
 *                member that moved to another contract keeps its entry here, marked movedTo, and
 *                a waived one keeps it marked waived, with the log of waives in `waives`
 * KEYS[4i+2]     counter i's units in use, thousandths (STRING; the sum of its members' weights)
 * KEYS[4i+3]     the member's owner: JSON {scope, keys} — the contract scope that counts it and
 *                the counters it is in ('' when the counter only reads)
 * ARGV[1..3]     the event id; now, epoch ms (entries of the index older than this are dropped);
 *                the key base of counters ('<prefix>:{tenant}:quota')
 * ARGV[4..6]     the ticket's waive flag as this event's body shows it ('1' waived, '0' not, ''
 *                when the event says nothing); the body's updatedAt (epoch ms): only a body no
 *                older than the one the state was last taken from changes it; who changed it
 * ARGV[6+7(i-1)+1..7]  per counter i: '1' to count a member, '0' to only read the counter, or
 *                '2' to look the member up without counting it (its slot if counted already); the member,
 *                the counter key, the history JSON to store if it is new, the expiry of the
 *                counter's keys (epoch ms), '1' when a member counted under another scope may
 *                move here (a ticket whose period is still open) or '0' when it stays there, the
 *                member's weight in thousandths
 *
 * A waive releases every count of the ticket (positions of other members do not change: a slot
 * is the units in use when a member was counted); removing the waive counts them again, each at
 * the end of its counter. A waived ticket counts nothing new.
 *
 * Returns six values per counter: members, units (thousandths), slot (-1 = none), chargedNow (2
 * when this very call counted the member, 1 when its history names this event id, so a retry of
 * the same event still gets 1), the
 * scope the member stays counted under when that is not this counter's ('' otherwise), and 1
 * when the ticket is waived.
 *
 * A move or a waive reaches counters that are not in KEYS. They share the tenant's hash tag, so
 * they live in the same Redis Cluster slot as every key that is declared.
 */
export const CHARGE_LUA = `
local event, now, base = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local waiveFlag, waiveAsOf, waiveBy = ARGV[4], tonumber(ARGV[5]) or 0, ARGV[6]
local index, ticketCounts, waiveKey = KEYS[1], KEYS[2], KEYS[3]
-- Without a ticket (KEYS end in ':'), nothing is recorded per ticket.
local hasTicket = string.sub(ticketCounts, -1) ~= ':'
redis.call('ZREMRANGEBYSCORE', index, '-inf', '(' .. now)

local function keysOf(counter)
  local k = base .. ':' .. counter
  return k .. ':positions', k .. ':history', k .. ':units'
end
local function weightOf(e) return tonumber(e.weight) or 1000 end

-- Counters written before units existed hold slots 0, 1, 2 … and no units key: every member
-- weighed 1. Convert one in place the first time it is touched (a no-op for current counters).
local function migrate(positions, units)
  if redis.call('EXISTS', units) == 1 then return end
  local all = redis.call('HGETALL', positions)
  if #all == 0 then return end
  for j = 1, #all, 2 do
    redis.call('HSET', positions, all[j], tonumber(all[j + 1]) * 1000)
  end
  redis.call('SET', units, (#all / 2) * 1000)
  local ttl = redis.call('PTTL', positions)
  if ttl > 0 then redis.call('PEXPIRE', units, ttl) end
end

-- A positions hash emptied by a waive loses its expiry with it: give it back its history's.
local function keepLike(key, like)
  local ttl = redis.call('PTTL', like)
  if ttl > 0 and redis.call('PTTL', key) < 0 then redis.call('PEXPIRE', key, ttl) end
end

local latest = 0
for i = 1, (#KEYS - 3) / 4 do
  local e = tonumber(ARGV[6 + 7 * (i - 1) + 5])
  if e > latest then latest = e end
end
local function keep(key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 or now + ttl < latest then redis.call('PEXPIREAT', key, latest) end
end

-- The ticket's waive state first: a body no older than the last one read decides it.
local raw = redis.call('GET', waiveKey)
local state = raw and cjson.decode(raw) or nil
local waived = state ~= nil and state.waived == true
if hasTicket and waiveFlag ~= '' and (state == nil or waiveAsOf >= tonumber(state.asOf)) then
  local want = waiveFlag == '1'
  if want ~= waived then
    for _, entry in ipairs(redis.call('SMEMBERS', ticketCounts)) do
      local nl = string.find(entry, '\\n', 1, true)
      local counter, member = string.sub(entry, 1, nl - 1), string.sub(entry, nl + 1)
      local positions, history, units = keysOf(counter)
      migrate(positions, units)
      local h = redis.call('HGET', history, member)
      if h then
        local e = cjson.decode(h)
        if type(e.waives) ~= 'table' or #e.waives == 0 then e.waives = {} end
        if want and redis.call('HDEL', positions, member) == 1 then
          redis.call('DECRBY', units, weightOf(e))
          e.waived = true
          e.waives[#e.waives + 1] = { waivedAt = now, waivedBy = waiveBy, waivedIn = event }
          redis.call('HSET', history, member, cjson.encode(e))
        elseif (not want) and e.waived == true and e.movedTo == nil then
          redis.call('HSET', positions, member, tonumber(redis.call('GET', units) or '0'))
          redis.call('INCRBY', units, weightOf(e))
          keepLike(positions, history)
          keepLike(units, history)
          e.waived = nil
          local last = e.waives[#e.waives]
          if last then
            last.unwaivedAt = now
            last.unwaivedBy = waiveBy
          end
          e.eventId = event
          e.atMs = now
          redis.call('HSET', history, member, cjson.encode(e))
        end
      end
    end
  end
  waived = want
  -- Recorded even when not waived: a late retry of an older body that had the tag must not win.
  redis.call('SET', waiveKey, cjson.encode({ waived = want, asOf = waiveAsOf, at = now, by = waiveBy }))
  keep(waiveKey)
end

-- A member counted already: its slot, and 1 when this event counted it (else -1, 0).
local function lookup(positions, history, member)
  local existing = redis.call('HGET', positions, member)
  if not existing then return -1, 0 end
  local entry = redis.call('HGET', history, member)
  return tonumber(existing), (entry and cjson.decode(entry).eventId == event) and 1 or 0
end

local out = {}
for i = 1, (#KEYS - 3) / 4 do
  local positions, history, units, ownerKey = KEYS[4 * i], KEYS[4 * i + 1], KEYS[4 * i + 2], KEYS[4 * i + 3]
  local a = 6 + 7 * (i - 1)
  local charge, member, counter, record = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local expireAt, movable, weight = tonumber(ARGV[a + 5]), ARGV[a + 6], tonumber(ARGV[a + 7])
  local scope = string.match(counter, '^([^/]*)')
  local position, now1, under = -1, 0, ''
  migrate(positions, units)
  if charge == '2' then
    -- Look up only: a member counted already (an excluded ticket stays counted), never add it.
    position, now1 = lookup(positions, history, member)
  elseif charge == '1' and not waived then
    local ownerRaw = redis.call('GET', ownerKey)
    local owner = ownerRaw and cjson.decode(ownerRaw) or nil
    local movedFrom = nil
    if owner and owner.scope ~= scope then
      if movable == '1' then
        for _, k in ipairs(owner.keys) do
          local oldPositions, oldHistory, oldUnits = keysOf(k)
          migrate(oldPositions, oldUnits)
          if redis.call('HDEL', oldPositions, member) == 1 then
            local entry = redis.call('HGET', oldHistory, member)
            local e = entry and cjson.decode(entry) or {}
            redis.call('DECRBY', oldUnits, weightOf(e))
            e.movedTo = scope
            e.movedAt = now
            e.movedBy = event
            redis.call('HSET', oldHistory, member, cjson.encode(e))
          end
          redis.call('SREM', ticketCounts, k .. '\\n' .. member)
        end
        movedFrom = owner.scope
        owner = nil
      else
        under = owner.scope
      end
    end
    if under == '' then
      position, now1 = lookup(positions, history, member)
      if position < 0 then
        position = tonumber(redis.call('GET', units) or '0')
        redis.call('HSET', positions, member, position)
        redis.call('INCRBY', units, weight)
        local e = cjson.decode(record)
        e.weight = weight
        if movedFrom then e.movedFrom = movedFrom end
        local old = redis.call('HGET', history, member)
        if old then
          local o = cjson.decode(old)
          if type(o.waives) == 'table' and #o.waives > 0 then e.waives = o.waives end
        end
        redis.call('HSET', history, member, cjson.encode(e))
        if hasTicket then redis.call('SADD', ticketCounts, counter .. '\\n' .. member) end
        now1 = 2
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
      keep(ownerKey)
      if hasTicket then keep(ticketCounts) end
    end
  end
  redis.call('ZADD', index, 'GT', expireAt, counter)
  redis.call('PEXPIREAT', positions, expireAt)
  redis.call('PEXPIREAT', history, expireAt)
  redis.call('PEXPIREAT', units, expireAt)
  out[#out + 1] = redis.call('HLEN', positions)
  out[#out + 1] = tonumber(redis.call('GET', units) or '0')
  out[#out + 1] = position
  out[#out + 1] = now1
  out[#out + 1] = under
  out[#out + 1] = waived and 1 or 0
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
