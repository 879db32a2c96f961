import type { Redis } from 'ioredis';
import type { QuotaMemory, TicketMemory } from '../rules/index.js';

/**
 * A once-only effect (a note's reason, an alert, a priority change) as deskplan carried it out:
 * claimed by one delivery before the write, done once the write succeeded. `noteId` names the
 * note that carried it, so a retry after a write that may have landed can look for that note.
 */
export interface EffectRecord {
  by: string;
  at: number;
  done: boolean;
  noteId: string | null;
}

/** What deskplan remembers about a ticket that its webhooks do not carry (ISO instants). */
export interface TicketState {
  pausedIntervals: { from: string; to: string | null }[];
  firstAgentReplyAt: string | null;
  lastAgentReplyAt: string | null;
  /** The oldest customer message no agent reply has answered yet (next response runs from it). */
  lastCustomerMessageAt: string | null;
  /** When the ticket was first solved; kept through reopens (limits that count on solve). */
  firstSolvedAt: string | null;
  timerJobIds: string[];
  effects: Record<string, EffectRecord>;
  quota: QuotaMemory | null;
  met: TicketMemory['met'];
  /** The ticket's updatedAt when deskplan last wrote to it: a body this old predates our write. */
  wroteOver: string | null;
  /** Solves and reopens (see track-reopens.ts): the updatedAt the status was last taken from… */
  statusFrom: string | null;
  /** …since when the ticket is solved (null while not solved), and its reopens, oldest first. */
  solvedSince: string | null;
  reopens: { at: string; solvedAt: string }[];
}

export const emptyTicketState = (): TicketState => ({
  pausedIntervals: [],
  firstAgentReplyAt: null,
  lastAgentReplyAt: null,
  lastCustomerMessageAt: null,
  firstSolvedAt: null,
  timerJobIds: [],
  effects: {},
  quota: null,
  met: {},
  wroteOver: null,
  statusFrom: null,
  solvedSince: null,
  reopens: [],
});

/**
 * Opens a paused interval when the ticket enters a pausing status and closes the open one when
 * it leaves; the same status again changes nothing. An event older than the open interval's
 * start closes it at that start, so no interval runs backwards.
 */
export function trackPause(
  state: TicketState,
  statusCategory: string,
  pauseOn: readonly string[],
  atIso: string,
): TicketState {
  const open = state.pausedIntervals.findIndex((p) => p.to === null);
  const pausing = pauseOn.includes(statusCategory);
  if (pausing && open < 0) {
    return { ...state, pausedIntervals: [...state.pausedIntervals, { from: atIso, to: null }] };
  }
  if (!pausing && open >= 0) {
    const pausedIntervals = state.pausedIntervals.map((p, i) => {
      if (i !== open) return p;
      return { from: p.from, to: Date.parse(atIso) < Date.parse(p.from) ? p.from : atIso };
    });
    return { ...state, pausedIntervals };
  }
  return state;
}

// Compare-and-set: write ARGV[2] (with a TTL) only if the key still holds ARGV[1] ('' = absent).
const CAS_LUA = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`;

type CasRedis = Redis & {
  deskplanTicketCas(key: string, expected: string, value: string, ttl: number): Promise<number>;
};

export const TICKET_STATE_TTL_SECONDS = 180 * 24 * 3600;
const MAX_ATTEMPTS = 100;

const parse = (raw: string | null): TicketState =>
  raw
    ? { ...emptyTicketState(), ...(JSON.parse(raw) as Partial<TicketState>) }
    : emptyTicketState();

/**
 * Per-ticket state as one JSON string with a TTL that each write renews. update() is optimistic:
 * read, apply `change`, then a compare-and-set script writes only if nobody wrote in between,
 * else it runs again on the fresh value. Unlike WATCH/MULTI this needs no connection of its own,
 * so it is safe on the shared, pipelined connection every job uses.
 */
export class TicketStateStore {
  private readonly redis: CasRedis;
  /** The stored JSON ('' = no key) of each state update() returned, for a chained update. */
  private readonly stored = new WeakMap<TicketState, string>();

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
    private readonly ttlSeconds = TICKET_STATE_TTL_SECONDS,
  ) {
    if (!('deskplanTicketCas' in redis)) {
      redis.defineCommand('deskplanTicketCas', { numberOfKeys: 1, lua: CAS_LUA });
    }
    this.redis = redis as CasRedis;
  }

  key(tenantId: string, ticketId: string): string {
    return `${this.prefix}:{${tenantId}}:ticket:${ticketId}`;
  }

  async get(tenantId: string, ticketId: string): Promise<TicketState> {
    return parse(await this.redis.get(this.key(tenantId, ticketId)));
  }

  /** The ticket's state, or null when deskplan keeps none for it (never seen, or expired). */
  async find(tenantId: string, ticketId: string): Promise<TicketState | null> {
    const raw = await this.redis.get(this.key(tenantId, ticketId));
    return raw === null ? null : parse(raw);
  }

  /**
   * Applies `change` atomically; `change` may run more than once, so it must be pure. `after`: a
   * state an earlier update() of this ticket returned, tried first without reading the key again
   * (the compare-and-set still checks that nobody wrote since).
   */
  async update(
    tenantId: string,
    ticketId: string,
    change: (state: TicketState) => TicketState,
    after?: TicketState,
  ): Promise<TicketState> {
    const key = this.key(tenantId, ticketId);
    let known = after && this.stored.get(after);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const raw = known === undefined ? await this.redis.get(key) : known || null;
      known = undefined;
      const next = change(parse(raw));
      const value = JSON.stringify(next);
      // Nothing to remember for a ticket with no state yet: write nothing.
      if (raw === null && value === JSON.stringify(emptyTicketState())) {
        this.stored.set(next, '');
        return next;
      }
      if (await this.redis.deskplanTicketCas(key, raw ?? '', value, this.ttlSeconds)) {
        this.stored.set(next, value);
        return next;
      }
      // Lost a race: back off a little, more as the contention persists.
      if (attempt > 2) await new Promise((r) => setTimeout(r, Math.random() * attempt * 2));
    }
    throw new Error(`ticket state ${key} kept changing under concurrent updates`);
  }
}
