import type { Redis } from 'ioredis';

/** What deskplan remembers about a ticket that its webhooks do not carry. */
export interface TicketState {
  pausedIntervals: { from: string; to: string | null }[];
  firstAgentReplyAt: string | null;
  lastAgentReplyAt: string | null;
  lastCustomerMessageAt: string | null;
  timerJobIds: string[];
}

export const EMPTY_TICKET_STATE: TicketState = {
  pausedIntervals: [],
  firstAgentReplyAt: null,
  lastAgentReplyAt: null,
  lastCustomerMessageAt: null,
  timerJobIds: [],
};

/** Opens a paused interval when the ticket enters a pausing status, closes it when it leaves. */
export function trackPause(
  state: TicketState,
  status: string,
  pauseOn: readonly string[],
  atIso: string,
): TicketState {
  const open = state.pausedIntervals.findIndex((p) => p.to === null);
  const pausing = pauseOn.includes(status);
  if (pausing && open < 0) {
    return { ...state, pausedIntervals: [...state.pausedIntervals, { from: atIso, to: null }] };
  }
  if (!pausing && open >= 0) {
    const intervals = state.pausedIntervals.map((p, i) => (i === open ? { ...p, to: atIso } : p));
    return { ...state, pausedIntervals: intervals };
  }
  return state;
}

// Set the new value only if the stored one is still what was read (compare-and-set).
const CAS_LUA = `
local current = redis.call('GET', KEYS[1])
if (current or '') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
`;

type CasRedis = Redis & {
  deskplanCas(key: string, expected: string, value: string, ttl: number): Promise<number>;
};

const TTL_SECONDS = 180 * 24 * 3600;

/** Per-ticket state, updated by compare-and-set so concurrent workers never lose a write. */
export class TicketStateStore {
  private readonly redis: CasRedis;

  constructor(
    redis: Redis,
    private readonly prefix = 'deskplan',
  ) {
    if (!('deskplanCas' in redis))
      redis.defineCommand('deskplanCas', { numberOfKeys: 1, lua: CAS_LUA });
    this.redis = redis as CasRedis;
  }

  private key(tenantId: string, ticketId: string) {
    return `${this.prefix}:{${tenantId}}:ticket:${ticketId}`;
  }

  async get(tenantId: string, ticketId: string): Promise<TicketState> {
    const raw = await this.redis.get(this.key(tenantId, ticketId));
    return raw
      ? { ...EMPTY_TICKET_STATE, ...(JSON.parse(raw) as Partial<TicketState>) }
      : EMPTY_TICKET_STATE;
  }

  async update(
    tenantId: string,
    ticketId: string,
    change: (state: TicketState) => TicketState,
  ): Promise<TicketState> {
    const key = this.key(tenantId, ticketId);
    for (let attempt = 0; attempt < 50; attempt++) {
      const raw = (await this.redis.get(key)) ?? '';
      const current = raw
        ? { ...EMPTY_TICKET_STATE, ...(JSON.parse(raw) as Partial<TicketState>) }
        : EMPTY_TICKET_STATE;
      const next = change(current);
      const value = JSON.stringify(next);
      if (value === raw) return next;
      if ((await this.redis.deskplanCas(key, raw, value, TTL_SECONDS)) === 1) return next;
    }
    throw new Error(`ticket state ${key} kept changing under concurrent updates`);
  }
}
