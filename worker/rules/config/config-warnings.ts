import { PRIORITIES } from '../../../connectors/core/ticket.js';
import { byStart, subtract } from '../calendar/compile-calendar.js';
import { WEEKDAY_NAMES, type CalendarConfig } from './calendar-schema.js';
import { renewalWarnings } from './renewal-warnings.js';
import { topUpWarnings } from './top-up-warnings.js';
import type { SlaPolicyConfig } from './sla-schema.js';
import type { TenantRules } from './tenant-schema.js';

/** The week's openings as a calendar's weekly hours draw them (minutes each). */
function weeklyOpenings(calendar: CalendarConfig): number[] {
  return WEEKDAY_NAMES.flatMap((day) =>
    subtract(calendar.hours[day], byStart(calendar.breaks[day])).map((s) => s.end - s.start),
  );
}

const hm = (minutes: number) =>
  minutes % 60 === 0 ? `${minutes / 60}h` : `${Math.floor(minutes / 60)}h${minutes % 60}m`;

/**
 * Things that are valid but probably not meant, each with its path, for an admin to read before a
 * ticket arrives (the CLI's load-tenants and the service's start print them). Pure.
 * - a minute target longer than the whole week's opening of its calendar: due more than a week
 *   of opening later, usually working days written in `d` (24 business hours each) instead of `bd`
 *   (a target longer than one opening is normal: 12 business hours on a 9-hour day);
 * - a first-response target longer than the resolution target of the same priority;
 * - a renewal that does not start the day after the contract it renews ends, or shares its quota
 *   differently (see renewal-warnings.ts);
 * - a top-up block that outlives the usage history its balance is read from (top-up-warnings.ts).
 */
export function configWarnings(rules: TenantRules): string[] {
  const warnings: string[] = [];
  const calendars = new Map(rules.calendars.map((c) => [c.id, c]));
  rules.slaPolicies.forEach((policy: SlaPolicyConfig, i) => {
    const calendar = calendars.get(policy.calendar);
    const openings = calendar ? weeklyOpenings(calendar) : [];
    const longest = Math.max(0, ...openings);
    const week = openings.reduce((a, b) => a + b, 0);
    for (const priority of ['all', ...PRIORITIES] as const) {
      const targets = policy.targets[priority];
      if (!targets) continue;
      const path = `slaPolicies[${i}].targets.${priority}`;
      for (const metric of ['firstResponse', 'nextResponse', 'resolution'] as const) {
        const target = targets[metric];
        if (typeof target !== 'number' || !calendar || target === 0) continue;
        if (target > week) {
          warnings.push(
            `${path}.${metric}: ${hm(target)} is more than a whole week of '${calendar.id}' opening (${hm(week)}, longest opening ${hm(longest)}): a day written as 'd' is 24 business hours; for working days write e.g. '3bd'`,
          );
        }
      }
      const { firstResponse: first, resolution } = targets;
      if (typeof first === 'number' && typeof resolution === 'number' && first > resolution) {
        warnings.push(
          `${path}.firstResponse: ${hm(first)} is longer than the resolution target (${hm(resolution)})`,
        );
      }
    }
  });
  warnings.push(...renewalWarnings(rules.contracts));
  warnings.push(...topUpWarnings(rules.contracts));
  return warnings;
}
