import { quotaPerOf } from './contract-schema.js';
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
    checkTopUps(rules, i, problem);
  });
  checkRenewals(rules.contracts, problem);
  rules.routing.rules.forEach((rule, i) => {
    known(products, rule.product, 'product', ['routing', 'rules', i, 'product']);
  });
  if (rules.routing.default !== null) {
    known(products, rules.routing.default, 'product', ['routing', 'default']);
  }
}

/**
 * A contract's top-up blocks: the quota must be shared by the whole contract (a block is bought
 * for it, not for one of its accounts), and each block must name an existing limit with a max,
 * which it may leave out only when the plan has exactly one such limit.
 */
function checkTopUps(rules: Rules, i: number, problem: (path: Path, message: string) => void) {
  const contract = rules.contracts[i]!;
  const plan = rules.plans.find((p) => p.id === contract.plan);
  if (!contract.topUps?.length || !plan) return;
  const path: Path = ['contracts', i, 'topUps'];
  if (quotaPerOf(contract) === 'account') {
    const why = contract.quotaPer
      ? 'quotaPer is account'
      : 'quotaPer defaults to account for an attribute selector';
    problem(
      path,
      `top-ups need one quota for the whole contract, but each account has its own here (${why}): a block is bought for the whole contract; set quotaPer: contract`,
    );
    return;
  }
  const capped = plan.limits.filter((l) => l.max !== null);
  const list = capped.map((l) => `'${l.id}'`).join(', ') || 'none';
  contract.topUps.forEach((block, j) => {
    if (block.limit === undefined) {
      if (capped.length > 1) {
        problem(
          [...path, j, 'limit'],
          `required: plan '${plan.id}' has several limits with a max (${list}); say which one this block tops up`,
        );
      } else if (capped.length === 0) {
        problem([...path, j], `plan '${plan.id}' has no limit with a max: nothing to top up`);
      }
      return;
    }
    const limit = plan.limits.find((l) => l.id === block.limit);
    if (!limit) {
      problem(
        [...path, j, 'limit'],
        `unknown limit '${block.limit}' in plan '${plan.id}' (limits with a max: ${list})`,
      );
    } else if (limit.max === null) {
      problem(
        [...path, j, 'limit'],
        `limit '${block.limit}' of plan '${plan.id}' is unlimited: a top-up needs a limit with a max`,
      );
    }
  });
}
