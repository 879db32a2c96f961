import { describe, expect, it } from 'vitest';
import {
  automationTypeOfKind,
  ruleDifferences,
  wantedRules,
  type LiveRule,
  type WantedRule,
} from '../../../../connectors/freshdesk/setup-plan.js';
import { SECRET_HEADER } from '../../../../connectors/freshdesk/verify-secret.js';

const target = { tenantId: 'acme', webhookUrl: 'https://dp.example/webhooks/freshdesk/acme' };
const SECRET = 'secret-0123456789abcdef';

/** The wanted rule as Freshdesk would give it back (an id, extra keys, content as sent). */
const asLive = (w: WantedRule, change: (r: LiveRule) => void = () => {}): LiveRule => {
  const live = {
    id: 1,
    ...structuredClone(w.body),
    position: 3,
    automation_type_id: 1,
  } as unknown as LiveRule;
  change(live);
  return live;
};

describe('the Freshdesk set-up plan', () => {
  const rules = wantedRules(target, SECRET);

  it('wants one ticket-creation rule and three ticket-update rules, named for the tenant', () => {
    expect(rules.map((r) => [r.automationType, r.kind, r.body.name])).toEqual([
      [1, 'ticket-creation-rule', 'deskplan acme: ticket created'],
      [4, 'ticket-update-rule', 'deskplan acme: ticket updated'],
      [4, 'ticket-update-rule', 'deskplan acme: agent reply'],
      [4, 'ticket-update-rule', 'deskplan acme: customer reply'],
    ]);
    expect(rules.every((r) => r.body.name.startsWith('deskplan'))).toBe(true);
    expect(rules.map((r) => automationTypeOfKind(r.kind))).toEqual([1, 4, 4, 4]);
    expect(automationTypeOfKind('webhook')).toBeNull();
  });

  it('sends the secret in the header verify-secret reads, and each rule its own event literal', () => {
    for (const rule of rules) {
      const action = rule.body.actions[0]!;
      expect(Object.keys(action.custom_headers).map((h) => h.toLowerCase())).toEqual([
        SECRET_HEADER,
      ]);
      expect(Object.values(action.custom_headers)).toEqual([SECRET]);
      expect(action.url).toBe(target.webhookUrl);
    }
    expect(rules.map((r) => r.body.actions[0]!.content.event)).toEqual([
      'created',
      'updated',
      'agent_replied',
      'customer_replied',
    ]);
  });

  it('gives performer and events only to ticket-update rules (Freshdesk refuses them elsewhere)', () => {
    expect(rules[0]!.body).not.toHaveProperty('performer');
    expect(rules[0]!.body).not.toHaveProperty('events');
    expect(rules.slice(1).map((r) => r.body.performer?.type)).toEqual([3, 1, 2]);
  });

  it('finds no difference in a rule as wanted, whatever the key order or extra keys', () => {
    for (const rule of rules) expect(ruleDifferences(asLive(rule), rule)).toEqual([]);
    const reordered = asLive(rules[0]!, (r) => {
      const hook = r.actions![0]!;
      const content = hook.content as Record<string, unknown>;
      hook.content = Object.fromEntries(Object.entries(content).reverse());
      hook.custom_headers = { 'x-deskplan-secret': SECRET };
    });
    expect(ruleDifferences(reordered, rules[0]!)).toEqual([]);
  });

  it('names each difference, and never the secret', () => {
    const rule = rules[2]!;
    const live = asLive(rule, (r) => {
      r.active = false;
      r.performer = { type: 3 };
      const hook = r.actions![0]!;
      hook.url = 'https://old.example/hook';
      hook.content = { deskplan: '1', event: 'updated' };
      hook.custom_headers = { 'X-Deskplan-Secret': 'old-secret-0123456789' };
    });
    const diffs = ruleDifferences(live, rule);
    expect(diffs).toEqual([
      'inactive',
      'url changed',
      'body changed',
      'secret header changed',
      'performer changed',
    ]);
    expect(diffs.join(' ')).not.toContain('secret-0123');
    expect(
      ruleDifferences(
        asLive(rule, (r) => (r.actions = [])),
        rule,
      ),
    ).toEqual(['no webhook action']);
    expect(
      ruleDifferences(
        asLive(rule, (r) => delete r.actions![0]!.custom_headers),
        rule,
      ),
    ).toEqual(['secret header missing']);
  });
});
