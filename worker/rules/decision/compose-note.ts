import type { CompiledTenant } from '../compile-tenant.js';
import type { PlanConfig } from '../config/plan-schema.js';
import type { Alert, LimitUsage } from './decide.js';
import type { ExclusionMatch } from './exclusions.js';
import { NOTE_MESSAGES } from './note-messages.js';
import type { Recount } from './reopen-count.js';
import { SLA_METRICS, type SlaOutcome } from './sla-deadlines.js';
import type { Weighing } from '../quota/weight-of.js';

export type NoteInput =
  | {
      kind: 'no-contract';
      product: string | null;
      /** The contract that covered this account and product until it ended, if one did. */
      ended: { name: string; end: string } | null;
    }
  | {
      kind: 'plan';
      plan: PlanConfig;
      product: string | null;
      over: boolean;
      limits: LimitUsage[];
      sla: SlaOutcome | null;
      alerts: Alert[];
      firstApplication: boolean;
      /** Not counted yet: the moment it will count at. */
      pending: 'on-create' | 'on-first-agent-reply' | 'on-solve' | null;
      /** A held ticket's overage was just approved by an agent. */
      approvedNow?: boolean;
      /** An agent just waived the ticket, or took the waive back. */
      waive?: 'waived' | 'unwaived' | null;
      /** Why this event's ticket or reply weighs what it does, when weights applied. */
      weighing?: Weighing | null;
      /** Not counted: the exclusion it matches. */
      excluded?: ExclusionMatch | null;
      /** Counted again after a reopen (said once, with this new count). */
      recount?: Recount | null;
    };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, zoneName: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${zoneName}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      timeZone,
      ...(zoneName
        ? { timeZoneName: 'short' }
        : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    });
    formatters.set(key, format);
  }
  return format;
}

const abbreviations = new Map<string, string>();

/**
 * A zone abbreviation such as JST, EST or CEST where one locale knows it, else GMT+9. Memoised
 * per zone and hour (an abbreviation only changes at a DST change, on the hour), bounded.
 */
function zoneAbbreviation(date: Date, timeZone: string): string {
  const key = `${timeZone}|${Math.floor(date.getTime() / 3_600_000)}`;
  let name = abbreviations.get(key);
  if (name === undefined) {
    name = lookupAbbreviation(date, timeZone);
    if (abbreviations.size >= 4096) abbreviations.clear();
    abbreviations.set(key, name);
  }
  return name;
}

function lookupAbbreviation(date: Date, timeZone: string): string {
  let fallback = '';
  for (const locale of ['en-US', 'en-GB', 'ja-JP']) {
    const part = formatter(locale, timeZone, true)
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (part && !/^(GMT|UTC)[+-]/.test(part)) return part;
    fallback ||= part ?? '';
  }
  return fallback;
}

/** '24 Nov, 14:00 JST' / '11月24日 14:00 JST' in the tenant's zone and language. */
export function formatInstant(iso: string, locale: 'en' | 'ja', timeZone: string): string {
  const date = new Date(Date.parse(iso));
  const text = formatter(locale === 'ja' ? 'ja-JP' : 'en-GB', timeZone, false).format(date);
  return `${text} ${zoneAbbreviation(date, timeZone)}`;
}

/** The internal note deskplan leaves on a ticket, in the tenant's language and zone. */
export function composeNote(tenant: CompiledTenant, input: NoteInput): string {
  const { locale, timeZone } = tenant.rules;
  const m = NOTE_MESSAGES[locale];
  if (input.kind === 'no-contract') {
    const ended = input.ended ? ` ${m.contractEnded(input.ended.name, input.ended.end)}` : '';
    return `deskplan: ${m.noContract(input.product)}${ended}`;
  }

  // An approval alone gets a short note of its own: the plan was explained when first applied.
  if (input.approvedNow && !input.firstApplication && input.alerts.length === 0) {
    return `deskplan: ${m.overApproved}`;
  }
  const periodOf = (l: LimitUsage) => m.period(l.per, l.anniversary, l.period.lastDay);
  const unitOf = (l: LimitUsage) => (l.weighted ? 'units' : l.unit);
  const lines = [
    `deskplan: ${m.planTitle(input.plan.name, input.product)}: ${input.limits
      .map(
        (l) =>
          m.usage(l.used, l.allowance, unitOf(l), periodOf(l)) +
          (l.extra && (l.extra.rolledIn > 0 || l.extra.topUps > 0)
            ? m.extra(l.extra.rolledIn, l.extra.topUps)
            : ''),
      )
      .join(locale === 'ja' ? '、' : '; ')}`,
  ];
  if (input.waive) lines.push(input.waive === 'waived' ? m.waived : m.unwaived);
  if (input.weighing) {
    lines.push(
      m.weighed(
        input.weighing.weight,
        input.weighing.factors.map((f) => m.weightFactor(f.by, f.value, f.weight)),
      ),
    );
  }
  if (input.excluded)
    lines.push(m.excluded(m.exclusionKind[input.excluded.kind], input.excluded.value));
  if (input.recount) lines.push(m.recounted(input.recount.days));
  if (input.pending && input.pending !== 'on-create') lines.push(m.countPending(input.pending));
  if (input.over) {
    const { action, priority, links, upsell } = input.plan.overage;
    lines.push(
      action === 'bill'
        ? m.overBill
        : action === 'deprioritize'
          ? m.overDeprioritize(m.priority[priority]!)
          : action === 'hold'
            ? input.approvedNow
              ? m.overApproved
              : m.overHold
            : m.overSelfHelp(links.map((l) => `${l.title} ${l.url}`).join(', ')),
    );
    if (upsell) lines.push(m.upsell);
  } else if (input.waive === 'waived' && !input.sla) {
    // Waived: nothing more to say when no SLA applies.
  } else if (!input.sla) {
    lines.push(m.noSla);
  } else {
    const parts = SLA_METRICS.flatMap((metric) => {
      const due = input.sla![metric];
      if (!due) return [];
      return [m.due(metric, due.due ? formatInstant(due.due, locale, timeZone) : `(${m.paused})`)];
    });
    lines.push(parts.length ? m.dues(parts) : m.noTargets);
  }
  for (const alert of input.alerts) {
    if (alert.kind === 'expiring') {
      lines.push(m.contractEnding(alert.contract.name, alert.lastDay, alert.daysLeft));
      continue;
    }
    const l = input.limits.find((x) => x.limitId === alert.limitId)!;
    lines.push(
      alert.kind === 'overage'
        ? m.overage(alert.used, alert.max, unitOf(l), periodOf(l))
        : alert.kind === 'topup-suggested'
          ? m.topUpSuggested(alert.threshold!, alert.used, alert.max, unitOf(l), periodOf(l))
          : m.alert(alert.threshold!, alert.used, alert.max, unitOf(l), periodOf(l)),
    );
  }
  return lines.join('\n');
}
