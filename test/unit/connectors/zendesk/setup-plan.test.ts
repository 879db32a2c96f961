import { describe, expect, it } from 'vitest';
import {
  nextWebhookSecrets,
  notifiedWebhook,
  triggerDifferences,
  wantedTriggers,
  wantedWebhook,
  webhookDifferences,
} from '../../../../connectors/zendesk/setup-plan.js';
import {
  ZENDESK_AGENT_REPLY_TRIGGER_BODY,
  ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY,
  ZENDESK_TRIGGER_BODY,
} from '../../../../connectors/zendesk/trigger-template.js';

const url = 'https://deskplan.example/webhooks/zendesk/acme';

describe('Zendesk set-up plan', () => {
  it('wants one trigger-connected webhook named for the tenant', () => {
    expect(wantedWebhook('acme', url)).toEqual({
      name: 'deskplan (acme)',
      endpoint: url,
      http_method: 'POST',
      request_format: 'json',
      status: 'active',
      subscriptions: ['conditional_ticket_events'],
    });
  });

  it('wants four triggers with the documented bodies, all notifying the webhook', () => {
    const triggers = wantedTriggers('acme', 'W1');
    expect(triggers.map((t) => [t.title, t.actions[0]!.value[1]])).toEqual([
      ['deskplan ticket created (acme)', ZENDESK_TRIGGER_BODY],
      ['deskplan ticket updated (acme)', ZENDESK_TRIGGER_BODY],
      ['deskplan agent reply (acme)', ZENDESK_AGENT_REPLY_TRIGGER_BODY],
      ['deskplan customer reply (acme)', ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY],
    ]);
    expect(triggers.every((t) => t.actions[0]!.value[0] === 'W1' && t.active)).toBe(true);
    // The customer-reply trigger skips the first message (reported as the creation).
    expect(triggers[3]!.conditions.all).toEqual([
      { field: 'update_type', operator: 'is', value: 'Change' },
      { field: 'comment_is_public', operator: 'is', value: 'true' },
      { field: 'role', operator: 'is', value: 'end_user' },
    ]);
  });

  it('names exactly the webhook settings that differ', () => {
    const wanted = wantedWebhook('acme', url);
    const live = { id: 'W1', ...wanted, http_method: 'post' };
    expect(webhookDifferences(live, wanted)).toEqual([]);
    expect(
      webhookDifferences({ ...live, endpoint: 'https://old.example', status: 'inactive' }, wanted),
    ).toEqual(['endpoint', 'status']);
    expect(webhookDifferences({ ...live, subscriptions: null }, wanted)).toEqual(['subscriptions']);
  });

  it('compares triggers as Zendesk answers them (booleans for "true", order of conditions)', () => {
    const [, , agent] = wantedTriggers('acme', 'W1');
    const live = {
      id: 5,
      title: agent!.title,
      active: true,
      conditions: {
        all: [
          { field: 'role', operator: 'is_not', value: 'end_user' },
          { field: 'comment_is_public', operator: 'is', value: true },
        ],
        any: [],
      },
      actions: [{ field: 'notification_webhook', value: ['W1', ZENDESK_AGENT_REPLY_TRIGGER_BODY] }],
    };
    expect(triggerDifferences(live, agent!)).toEqual([]);
    expect(triggerDifferences({ ...live, active: false }, agent!)).toEqual(['active']);
    const moved = { ...live, actions: [{ field: 'notification_webhook', value: ['W0', 'x'] }] };
    expect(triggerDifferences(moved, agent!)).toEqual(['actions']);
    expect(notifiedWebhook(moved)).toBe('W0');
    expect(triggerDifferences({ ...live, conditions: null }, agent!)).toEqual(['conditions']);
  });

  it('puts a new signing secret first and keeps the former one second, at most two', () => {
    expect(nextWebhookSecrets([], 'new')).toEqual(['new']);
    expect(nextWebhookSecrets(['old', 'older'], 'new')).toEqual(['new', 'old']);
    expect(nextWebhookSecrets(['old', 'new'], 'new')).toBeNull();
  });
});
