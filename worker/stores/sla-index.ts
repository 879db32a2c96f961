import type { Redis } from 'ioredis';
import type { Ticket } from '../../connectors/core/ticket.js';
import type { Decision } from '../rules/index.js';
import { SLA_METRICS, type SlaMetric } from '../rules/decision/sla-deadlines.js';

/** One SLA target of an indexed ticket that is not fulfilled yet. */
export interface OpenDue {
  metric: SlaMetric;
  /** ISO instant. */
  due: string;
  breached: boolean;
}

/** A due as an agent sees it at `nowMs`: breached once passed, with whole minutes left. */
export function dueAsOf(d: OpenDue, nowMs: number) {
  const dueMs = Date.parse(d.due);
  return {
    metric: d.metric,
    due: d.due,
    breached: d.breached || dueMs < nowMs,
    minutesLeft: Math.floor((dueMs - nowMs) / 60_000),
  };
}

/** What the index keeps of an open ticket with SLA targets. */
export interface SlaIndexEntry {
  ticketId: string;
  subject: string;
  status: string;
  priority: string | null;
  policyId: string;
  contractId: string | null;
  dues: OpenDue[];
  /** The ticket's updatedAt (epoch ms) as evaluated: an older evaluation never overwrites it. */
  asOfMs: number;
}

/** How long a left ticket is remembered, so a late, older evaluation does not bring it back. */
const GONE_TTL_SECONDS = 14 * 24 * 3600;

// KEYS: zset (ticket → next due ms), hash (ticket → entry JSON), gone marker of the ticket.
// ARGV: ticket id, asOfMs, score ('' = the ticket leaves), entry JSON, gone ttl.
// Applies only when asOfMs is not older than what the index (or the gone marker) holds.
const UPDATE_LUA = `
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then
  local asOf = tonumber(cjson.decode(held).asOfMs)
  if asOf and asOf > tonumber(ARGV[2]) then return 0 end
end
local gone = redis.call('GET', KEYS[3])
if gone and tonumber(gone) > tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('SET', KEYS[3], ARGV[2], 'EX', tonumber(ARGV[5]))
  return 1
end
redis.call('ZADD', KEYS[1], tonumber(ARGV[3]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
redis.call('DEL', KEYS[3])
return 1
`;

type IndexRedis = Redis & {
  deskplanSlaIndex(
    zset: string,
    hash: string,
    gone: string,
    ticketId: string,
    asOfMs: number,
    score: string,
    entry: string,
    ttl: number,
  ): Promise<number>;
};

/** The open targets a decision leaves a ticket with (none once it is solved or closed). */
function openDues(decision: Decision, ticket: Pick<Ticket, 'status'>): OpenDue[] {
  const done = ticket.status.category === 'solved' || ticket.status.category === 'closed';
  if (!decision.sla || done) return [];
  return SLA_METRICS.flatMap((metric) => {
    const due = decision.sla?.[metric];
    if (!due?.due || due.fulfilledAt) return [];
    return [{ metric, due: due.due, breached: due.breached }];
  });
}

/**
 * Per tenant, the open tickets with SLA targets, by their next due instant (a sorted set), and
 * what each one's targets are (a hash): what "at risk" and "breached" lists read. The worker
 * updates it after each decision; a solved ticket, or one with no open target, leaves it.
 * Updates are ordered by the ticket's updatedAt, so a retried or late older evaluation (two
 * workers, replays) never overwrites a newer one.
 */
export class SlaIndex {
  private readonly redis: IndexRedis;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
  ) {
    if (!('deskplanSlaIndex' in redis)) {
      redis.defineCommand('deskplanSlaIndex', { numberOfKeys: 3, lua: UPDATE_LUA });
    }
    this.redis = redis as IndexRedis;
  }

  private keys(tenantId: string, ticketId = '') {
    const base = `${this.prefix}:{${tenantId}}:sla`;
    return { zset: `${base}:open`, hash: `${base}:tickets`, gone: `${base}:gone:${ticketId}` };
  }

  /** Records the ticket as the decision leaves it. Returns false when a newer state is held. */
  async record(tenantId: string, decision: Decision, ticket: Ticket): Promise<boolean> {
    const dues = openDues(decision, ticket);
    const asOfMs = Date.parse(ticket.updatedAt);
    const entry: SlaIndexEntry = {
      ticketId: ticket.id,
      subject: ticket.subject,
      status: ticket.status.category,
      priority: decision.sla?.priority ?? ticket.priority.category,
      policyId: decision.sla?.policyId ?? '',
      contractId: decision.contract?.id ?? null,
      dues,
      asOfMs,
    };
    const next = dues.length === 0 ? '' : String(Math.min(...dues.map((d) => Date.parse(d.due))));
    const { zset, hash, gone } = this.keys(tenantId, ticket.id);
    const applied = await this.redis.deskplanSlaIndex(
      zset,
      hash,
      gone,
      ticket.id,
      asOfMs,
      next,
      JSON.stringify(entry),
      GONE_TTL_SECONDS,
    );
    return applied === 1;
  }

  /** The tickets whose next open target is due before `untilMs` (breached ones too), soonest first. */
  async dueBefore(tenantId: string, untilMs: number, max = 1000): Promise<SlaIndexEntry[]> {
    const { zset, hash } = this.keys(tenantId);
    const ids = await this.redis.zrangebyscore(zset, '-inf', untilMs, 'LIMIT', 0, max);
    if (ids.length === 0) return [];
    const raw = await this.redis.hmget(hash, ...ids);
    return raw.flatMap((r) => (r ? [JSON.parse(r) as SlaIndexEntry] : []));
  }

  /** One ticket's entry (null when it has no open target, or was never indexed). */
  async entry(tenantId: string, ticketId: string): Promise<SlaIndexEntry | null> {
    const raw = await this.redis.hget(this.keys(tenantId).hash, ticketId);
    return raw ? (JSON.parse(raw) as SlaIndexEntry) : null;
  }

  /** How many open tickets with SLA targets the index holds for the tenant. */
  async size(tenantId: string): Promise<number> {
    return this.redis.zcard(this.keys(tenantId).zset);
  }

  /** Forgets the tenant's index (when the tenant is deleted). */
  async clear(tenantId: string): Promise<void> {
    const { zset, hash } = this.keys(tenantId);
    await this.redis.del(zset, hash);
  }
}
