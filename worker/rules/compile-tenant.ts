import {
  alwaysOpenCalendar,
  compileCalendar,
  type BusinessCalendar,
  type Weekday,
} from './calendar/compile-calendar.js';
import { calendarSpec } from './calendar/calendar-spec.js';
import { ALWAYS_OPEN_ID, WEEKDAY_NAMES, type WeekdayName } from './config/calendar-schema.js';
import type { PlanConfig } from './config/plan-schema.js';
import type { SlaPolicyConfig } from './config/sla-schema.js';
import type { TenantRules } from './config/tenant-schema.js';
import { compileRouter, type Router } from './routing/compile-router.js';

/** A tenant's rules with everything expensive built once: calendars, the router, indexes. */
export interface CompiledTenant {
  readonly rules: TenantRules;
  readonly router: Router;
  readonly weekStartsOn: Weekday;
  readonly calendars: ReadonlyMap<string, BusinessCalendar>;
  readonly plans: ReadonlyMap<string, PlanConfig>;
  readonly policies: ReadonlyMap<string, SlaPolicyConfig>;
  readonly productNames: ReadonlyMap<string, string>;
}

const weekday = (name: WeekdayName) => (WEEKDAY_NAMES.indexOf(name) + 1) as Weekday;

export function compileTenant(rules: TenantRules): CompiledTenant {
  const calendars = new Map<string, BusinessCalendar>([
    [ALWAYS_OPEN_ID, alwaysOpenCalendar(ALWAYS_OPEN_ID)],
  ]);
  for (const calendar of rules.calendars) {
    calendars.set(
      calendar.id,
      compileCalendar(calendar.id, calendarSpec(calendar, rules.timeZone)),
    );
  }
  return {
    rules,
    router: compileRouter(rules.routing.rules, rules.routing.default),
    weekStartsOn: weekday(rules.weekStartsOn),
    calendars,
    plans: new Map(rules.plans.map((p) => [p.id, p])),
    policies: new Map(rules.slaPolicies.map((p) => [p.id, p])),
    productNames: new Map(rules.products.map((p) => [p.id, p.name])),
  };
}
