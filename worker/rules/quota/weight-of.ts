import { roundUnits } from './units.js';
import type { Ticket } from '../../../connectors/core/ticket.js';
import type { BusinessCalendar } from '../calendar/compile-calendar.js';
import type { LimitWeights } from '../config/weight-schema.js';

/** Why a member weighs what it does: each factor that applied. */
export interface WeightFactor {
  by: 'priority' | 'channel' | 'outside-hours';
  value: string;
  weight: number;
}

export interface Weighing {
  /** Units used: the product of the factors, to the thousandth; 1 when nothing applies. */
  weight: number;
  factors: WeightFactor[];
}

const ONE: Weighing = Object.freeze({ weight: 1, factors: [] }) as Weighing;

/**
 * The weight of one ticket (or reply) under a limit, at the instant it counts: by the ticket's
 * priority and channel then, and whether that instant is outside the calendar's open hours.
 */
export function weighMember(
  weights: LimitWeights | undefined,
  ticket: Pick<Ticket, 'priority'> & { channel?: { category: string | null } | null },
  atMs: number,
  calendars: ReadonlyMap<string, BusinessCalendar>,
): Weighing {
  if (!weights) return ONE;
  const factors: WeightFactor[] = [];
  const priority = ticket.priority.category;
  const byPriority = priority === null ? undefined : weights.priority?.[priority];
  if (byPriority !== undefined)
    factors.push({ by: 'priority', value: priority!, weight: byPriority });
  const channel = ticket.channel?.category ?? null;
  const byChannel = channel === null ? undefined : weights.channel?.[channel];
  if (byChannel !== undefined) factors.push({ by: 'channel', value: channel!, weight: byChannel });
  const outside = weights.outsideHours;
  if (outside) {
    const calendar = calendars.get(outside.calendar);
    if (calendar && !calendar.isOpen(atMs)) {
      factors.push({ by: 'outside-hours', value: outside.calendar, weight: outside.weight });
    }
  }
  if (factors.length === 0) return ONE;
  const product = factors.reduce((w, f) => w * f.weight, 1);
  return { weight: Math.max(0.001, roundUnits(product)), factors };
}
