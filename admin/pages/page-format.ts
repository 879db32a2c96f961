import { roundUnits } from '../../worker/rules/quota/units.js';
import type { PageLocale } from './page-messages.js';

const tags: Record<PageLocale, string> = { en: 'en-GB', ja: 'ja-JP' };
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: PageLocale, zone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${withTime}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(tags[locale], {
      timeZone: zone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } : {}),
    });
    if (cache.size > 500) cache.clear();
    cache.set(key, f);
  }
  return f;
}

/** An instant (epoch ms or ISO) as a date and time in the tenant's zone. */
export const formatInstant = (at: number | string, locale: PageLocale, zone: string): string =>
  formatter(locale, zone, true).format(typeof at === 'number' ? at : Date.parse(at));

/** A local date ('YYYY-MM-DD', already the tenant's) as text: no zone shift. */
export const formatDay = (day: string, locale: PageLocale): string =>
  formatter(locale, 'UTC', false).format(Date.parse(`${day}T00:00:00Z`));

/** A number of units, to the thousandth at most. */
export const formatUnits = (n: number): string => String(roundUnits(n));

/** A counted ledger member as a person reads it: the ticket number or the reply. */
export function memberLabel(member: string): { kind: 'ticket' | 'reply'; id: string } {
  const reply = /^reply-(.+)$/.exec(member);
  if (reply) return { kind: 'reply', id: reply[1]! };
  const ticket = /^ticket-(.+?)(?:-reopen-(\d+))?$/.exec(member);
  if (ticket) return { kind: 'ticket', id: ticket[2] ? `${ticket[1]} (${ticket[2]})` : ticket[1]! };
  return { kind: 'ticket', id: member };
}

/** A whole count with the locale's digit grouping (1,234). */
export const formatCount = (n: number, locale: PageLocale): string =>
  n.toLocaleString(tags[locale]);
