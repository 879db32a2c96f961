import type { z } from 'zod';
import { ALWAYS_OPEN_ID } from './calendar-schema.js';
import { checkRenewals } from './check-renewals.js';
import type { tenantRulesObject } from './tenant-schema.js';

type Rules = z.infer<typeof tenantRulesObject>;
type Path = (string | number)[];

/** Cross-field checks: ids are unique and every reference points at something that exists. */
export function checkReferences(rules: Rules, ctx: z.RefinementCtx): void {
  const problem = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });

  const ids = (section: 'calendars' | 'slaPolicies' | 'plans' | 'products' | 'contracts') => {
    const seen = new Set<string>();
    rules[section].forEach((item, i) => {
      if (seen.has(item.id)) problem([section, i, 'id'], `duplicate id '${item.id}'`);
      seen.add(item.id);
    });
    return seen;
  };
  const calendars = ids('calendars');
  const policies = ids('slaPolicies');
  const plans = ids('plans');
  const products = ids('products');
  ids('contracts');

  if (calendars.has(ALWAYS_OPEN_ID)) {
    const i = rules.calendars.findIndex((c) => c.id === ALWAYS_OPEN_ID);
    problem(['calendars', i, 'id'], `'${ALWAYS_OPEN_ID}' is the built-in always-open calendar`);
  }
  const known = (set: Set<string>, id: string, what: string, path: Path) => {
    if (!set.has(id)) {
      const list = [...set].map((s) => `'${s}'`).join(', ') || 'none defined';
      problem(path, `unknown ${what} '${id}' (known: ${list})`);
    }
  };

  rules.slaPolicies.forEach((policy, i) => {
    if (policy.calendar !== ALWAYS_OPEN_ID) {
      known(calendars, policy.calendar, 'calendar', ['slaPolicies', i, 'calendar']);
    }
  });
  rules.plans.forEach((plan, i) => {
    if (plan.sla !== null) known(policies, plan.sla, 'SLA policy', ['plans', i, 'sla']);
    plan.limits.forEach((limit, j) => {
      const calendar = limit.weights?.outsideHours?.calendar;
      if (calendar !== undefined && calendar !== ALWAYS_OPEN_ID) {
        const path = ['plans', i, 'limits', j, 'weights', 'outsideHours', 'calendar'];
        known(calendars, calendar, 'calendar', path);
      }
    });
  });
  rules.contracts.forEach((contract, i) => {
    known(plans, contract.plan, 'plan', ['contracts', i, 'plan']);
    if (contract.product !== undefined) {
      known(products, contract.product, 'product', ['contracts', i, 'product']);
    }
  });
  checkRenewals(rules.contracts, problem);
  rules.routing.rules.forEach((rule, i) => {
    known(products, rule.product, 'product', ['routing', 'rules', i, 'product']);
  });
  if (rules.routing.default !== null) {
    known(products, rules.routing.default, 'product', ['routing', 'default']);
  }
}
