import type { Redis } from 'ioredis';

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'stopped';

/** One POST of a delivery: the answer's status (null when none came) or the error. */
export interface DeliveryAttempt {
  at: string;
  url: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** One callback delivery as kept in a tenant's history (never its secret). */
export interface DeliveryRecord {
  deliveryId: string;
  tenantId: string;
  subscriberId: string;
  event: string;
  url: string;
  /** The exact JSON body sent on every attempt (the same bytes on a retry). */
  body: string;
  createdAt: string;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  /** Re-sends asked for through the API. */
  retries: number;
}

/** At most this many deliveries are kept per tenant (the oldest are dropped first). */
const DEFAULT_HISTORY_SIZE = 1_000;

// KEYS: records hash, order zset. ARGV: id, record JSON, created ms, max kept.
// Adds the record unless it exists; trims the oldest beyond the max. Returns 1 when added.
const CREATE_LUA = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if extra > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, extra - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, extra - 1)
  redis.call('HDEL', KEYS[1], unpack(old))
end
return 1
`;

type HistoryRedis = Redis & {
  /** KEYS (2) then ARGV: defined with numberOfKeys, so no count is passed. */
  deskplanCreateDelivery(...keysThenArgs: (string | number)[]): Promise<number>;
};

/**
 * The per-tenant history of callback deliveries in Redis: a hash of records and their order.
 * A record is created once (the same delivery id again adds nothing) and then updated by the one
 * job that is sending it; an API retry only starts once the delivery is no longer pending.
 */
export class DeliveryHistory {
  private readonly redis: HistoryRedis;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
    private readonly maxKept = DEFAULT_HISTORY_SIZE,
  ) {
    if (!('deskplanCreateDelivery' in redis)) {
      redis.defineCommand('deskplanCreateDelivery', { numberOfKeys: 2, lua: CREATE_LUA });
    }
    this.redis = redis as HistoryRedis;
  }

  private keys(tenantId: string) {
    const base = `${this.prefix}:{${tenantId}}:callbacks`;
    return { records: `${base}:deliveries`, order: `${base}:order` };
  }

  /** Adds the record unless one with its id exists; true when this call added it. */
  async create(record: DeliveryRecord): Promise<boolean> {
    const { records, order } = this.keys(record.tenantId);
    const added = await this.redis.deskplanCreateDelivery(
      records,
      order,
      record.deliveryId,
      JSON.stringify(record),
      Date.parse(record.createdAt),
      this.maxKept,
    );
    return added === 1;
  }

  async get(tenantId: string, deliveryId: string): Promise<DeliveryRecord | null> {
    const raw = await this.redis.hget(this.keys(tenantId).records, deliveryId);
    return raw ? (JSON.parse(raw) as DeliveryRecord) : null;
  }

  /** Changes a kept record (gone records stay gone); returns the record as saved. */
  async update(
    tenantId: string,
    deliveryId: string,
    change: (record: DeliveryRecord) => DeliveryRecord,
  ): Promise<DeliveryRecord | null> {
    const { records } = this.keys(tenantId);
    const current = await this.get(tenantId, deliveryId);
    if (!current) return null;
    const next = change(current);
    // HSET only when the field still exists (it may have been trimmed meanwhile).
    const kept = await this.redis.hexists(records, deliveryId);
    if (kept) await this.redis.hset(records, deliveryId, JSON.stringify(next));
    return kept ? next : null;
  }

  /** The kept deliveries, newest first. */
  async list(tenantId: string, limit = DEFAULT_HISTORY_SIZE): Promise<DeliveryRecord[]> {
    const { records, order } = this.keys(tenantId);
    const ids = await this.redis.zrevrange(order, 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.hmget(records, ...ids);
    return raws.flatMap((raw) => (raw ? [JSON.parse(raw) as DeliveryRecord] : []));
  }
}
