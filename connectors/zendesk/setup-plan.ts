import type { DueInstants } from '../core/ticket-patch.js';
import type { LiveTrigger, LiveWebhook } from './setup-client.js';
import {
  ZENDESK_AGENT_REPLY_TRIGGER_BODY,
  ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY,
  ZENDESK_TRIGGER_BODY,
} from './trigger-template.js';

/**
 * What deskplan wants in a Zendesk account (pure: no I/O). setup.ts compares it with what is
 * there and makes, updates or leaves each item.
 */

export type DueMetric = keyof DueInstants;

/**
 * The webhook the triggers notify. Fields from the Webhooks API
 * (https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/): a webhook
 * connected to triggers subscribes to "conditional_ticket_events" only.
 */
export interface WantedWebhook {
  name: string;
  endpoint: string;
  http_method: 'POST';
  request_format: 'json';
  status: 'active';
  subscriptions: string[];
}

export interface TriggerCondition {
  field: string;
  operator: string;
  value: string;
}

/**
 * A ticket trigger as the Triggers API takes it
 * (https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/): `all`/`any`
 * conditions and a "notify active webhook" action, `notification_webhook` = [webhook id, body].
 */
export interface WantedTrigger {
  title: string;
  active: true;
  conditions: { all: TriggerCondition[]; any: TriggerCondition[] };
  actions: { field: 'notification_webhook'; value: [string, string] }[];
}

const webhookName = (tenantId: string) => `deskplan (${tenantId})`;

export function wantedWebhook(tenantId: string, webhookUrl: string): WantedWebhook {
  return {
    name: webhookName(tenantId),
    endpoint: webhookUrl,
    http_method: 'POST',
    request_format: 'json',
    status: 'active',
    subscriptions: ['conditional_ticket_events'],
  };
}

const is = (field: string, value: string): TriggerCondition => ({ field, operator: 'is', value });

/**
 * The four triggers, in the order they are made. Conditions from the ticket trigger conditions
 * reference (https://support.zendesk.com/hc/en-us/articles/4408893545882): `update_type` is
 * "Create" or "Change"; `comment_is_public` "true" = "Comment is Public"; `role` = "Current
 * user". The agent-reply trigger uses "role is not end_user" so that admins' replies count too
 * ("(agent)" in the UI; the API's role values are end_user, agent and admin).
 * The "updated" trigger fires on every update, replies included: trigger conditions can say
 * "Comment is Public" but not "no public comment", so a reply reaches deskplan twice (as an
 * update and as a reply, different bodies): the update only recomputes, the reply is counted.
 */
const TRIGGERS: readonly {
  key: 'created' | 'updated' | 'agent-reply' | 'customer-reply';
  label: string;
  body: string;
  all: TriggerCondition[];
}[] = [
  {
    key: 'created',
    label: 'ticket created',
    body: ZENDESK_TRIGGER_BODY,
    all: [is('update_type', 'Create')],
  },
  {
    key: 'updated',
    label: 'ticket updated',
    body: ZENDESK_TRIGGER_BODY,
    all: [is('update_type', 'Change')],
  },
  {
    key: 'agent-reply',
    label: 'agent reply',
    body: ZENDESK_AGENT_REPLY_TRIGGER_BODY,
    all: [
      is('comment_is_public', 'true'),
      { field: 'role', operator: 'is_not', value: 'end_user' },
    ],
  },
  {
    key: 'customer-reply',
    label: 'customer reply',
    body: ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY,
    all: [is('update_type', 'Change'), is('comment_is_public', 'true'), is('role', 'end_user')],
  },
];

const triggerTitle = (label: string, tenantId: string) => `deskplan ${label} (${tenantId})`;

export function wantedTriggers(tenantId: string, webhookId: string): WantedTrigger[] {
  return TRIGGERS.map((t) => ({
    title: triggerTitle(t.label, tenantId),
    active: true,
    conditions: { all: t.all.map((c) => ({ ...c })), any: [] },
    actions: [{ field: 'notification_webhook', value: [webhookId, t.body] }],
  }));
}

/** The text fields that hold the due instants, one per metric. */
export const DUE_FIELD_TITLES: Readonly<Record<DueMetric, string>> = {
  firstResponse: 'deskplan first response due',
  nextResponse: 'deskplan next response due',
  resolution: 'deskplan resolution due',
};

/** The ticket field to create for a metric (Ticket Fields API, type "text"). */
export function wantedDueField(metric: DueMetric) {
  return {
    type: 'text' as const,
    title: DUE_FIELD_TITLES[metric],
    description: 'Written by deskplan: the instant this target is due (ISO 8601). Do not edit.',
    active: true,
  };
}

/** Names of the settings that differ from the wanted ones ([] = nothing to do). */
export function webhookDifferences(live: LiveWebhook, wanted: WantedWebhook): string[] {
  const changed: string[] = [];
  if (live.endpoint !== wanted.endpoint) changed.push('endpoint');
  if (live.http_method.toUpperCase() !== wanted.http_method) changed.push('http_method');
  if (live.request_format !== wanted.request_format) changed.push('request_format');
  if (live.status !== wanted.status) changed.push('status');
  const subscriptions = [...(live.subscriptions ?? [])].sort().join(',');
  if (subscriptions !== [...wanted.subscriptions].sort().join(',')) changed.push('subscriptions');
  return changed;
}

/** Conditions as comparable text: Zendesk may answer `true` where we sent "true". */
function conditionKey(list: readonly unknown[] | null | undefined): string {
  return (list ?? [])
    .map((c) => {
      const { field, operator, value } = (c ?? {}) as Record<string, unknown>;
      return JSON.stringify([String(field), String(operator ?? 'is'), String(value)]);
    })
    .sort()
    .join('|');
}

function actionKey(list: readonly unknown[] | null | undefined): string {
  return JSON.stringify(
    (list ?? []).map((a) => {
      const { field, value } = (a ?? {}) as Record<string, unknown>;
      return [String(field), Array.isArray(value) ? value.map(String) : String(value)];
    }),
  );
}

/** What differs between a live trigger and the wanted one: 'active', 'conditions', 'actions'. */
export function triggerDifferences(live: LiveTrigger, wanted: WantedTrigger): string[] {
  const changed: string[] = [];
  if (live.active !== wanted.active) changed.push('active');
  if (
    conditionKey(live.conditions?.all) !== conditionKey(wanted.conditions.all) ||
    conditionKey(live.conditions?.any) !== conditionKey(wanted.conditions.any)
  ) {
    changed.push('conditions');
  }
  if (actionKey(live.actions) !== actionKey(wanted.actions)) changed.push('actions');
  return changed;
}

/** The webhook id a live trigger notifies, if it has a notification_webhook action. */
export function notifiedWebhook(live: LiveTrigger): string | null {
  for (const action of live.actions ?? []) {
    const { field, value } = (action ?? {}) as Record<string, unknown>;
    if (field === 'notification_webhook' && Array.isArray(value)) return String(value[0]);
  }
  return null;
}

/**
 * The secrets to configure once the live webhook's secret is known: unchanged (null) when it is
 * already configured; otherwise the live one first and the former first kept second (for
 * deliveries signed before the switch), at most two.
 */
export function nextWebhookSecrets(configured: readonly string[], live: string): string[] | null {
  if (configured.includes(live)) return null;
  return [live, ...configured.slice(0, 1)];
}
