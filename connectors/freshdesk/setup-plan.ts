import type { SetupTarget } from '../core/setup.js';
import { SECRET_HEADER as RECEIVED_HEADER } from './verify-secret.js';
import { freshdeskWebhookBody } from './webhook-template.js';
import type { LiveRule, WEBHOOK_EVENTS } from './vendor-schemas.js';

/**
 * What deskplan wants in a Freshdesk account: four automation rules whose "Trigger webhook"
 * action posts deskplan's body to the tenant's webhook URL with the shared secret in the
 * X-Deskplan-Secret header. Pure: no I/O.
 *
 * Sources (the rule JSON is not shown in Freshdesk's public reference, so it comes from
 * Freshdesk's own validation code as found in a public copy, cross-checked against public
 * integrations that create such rules):
 * - Endpoints: https://developers.freshdesk.com/api/#automations —
 *   `GET|POST /api/v2/automations/{automation_type_id}/rules`, `GET|PUT|DELETE …/rules/{id}`;
 *   type ids 1 = ticket creation, 3 = time triggers, 4 = ticket updates (performer and events
 *   only on 4).
 * - Webhook action keys: field_name "trigger_webhook", request_type (GET POST PUT PATCH
 *   DELETE), url, content_type (JSON XML X-FORM-URLENCODED), content_layout, content (a JSON
 *   object for JSON), custom_headers (an object), auth_header ({username, password} or
 *   {api_key}). POST needs content_type, content_layout and content.
 * - Performer types: 1 agent, 2 requester, 3 agent or requester, 4 system.
 * - Observer event names: status, priority, ticket_type, group_id, responder_id, note_type,
 *   reply_sent, due_by, ticket_action, time_sheet_action, customer_feedback; a changed-field
 *   event takes `from`/`to` ('--' = any), `reply_sent` takes neither.
 */

type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Freshdesk's automation types deskplan uses (the `automation_type_id` of the path). */
const AUTOMATION_TYPE = { ticketCreation: 1, ticketUpdates: 4 } as const;
export type AutomationTypeId = (typeof AUTOMATION_TYPE)[keyof typeof AUTOMATION_TYPE];

/** The SetupItem kind of a rule, by its automation type (the type is part of its address). */
const RULE_KIND = {
  [AUTOMATION_TYPE.ticketCreation]: 'ticket-creation-rule',
  [AUTOMATION_TYPE.ticketUpdates]: 'ticket-update-rule',
} as const satisfies Record<AutomationTypeId, string>;
export type RuleKind = (typeof RULE_KIND)[AutomationTypeId];

export function automationTypeOfKind(kind: string): AutomationTypeId | null {
  if (kind === RULE_KIND[AUTOMATION_TYPE.ticketCreation]) return AUTOMATION_TYPE.ticketCreation;
  if (kind === RULE_KIND[AUTOMATION_TYPE.ticketUpdates]) return AUTOMATION_TYPE.ticketUpdates;
  return null;
}

const PERFORMER = { agent: 1, requester: 2, agentOrRequester: 3 } as const;

export interface WebhookAction {
  field_name: 'trigger_webhook';
  request_type: 'POST';
  url: string;
  content_type: 'JSON';
  /** 2 = "Advanced" (a body written by hand); sent as a string, as public integrations do. */
  content_layout: '2';
  content: Record<string, unknown>;
  custom_headers: Record<string, string>;
}

export interface RuleEvent {
  field_name: string;
  from?: string;
  to?: string;
}

/** The JSON of Create / Update an Automation Rule. */
export interface RuleBody {
  name: string;
  active: boolean;
  performer?: { type: number };
  events?: RuleEvent[];
  conditions: {
    name: string;
    match_type: 'any' | 'all';
    properties: { resource_type: string; field_name: string; operator: string; value: unknown }[];
  }[];
  actions: WebhookAction[];
}

export interface WantedRule {
  /** Which template body it sends; also names the rule. */
  event: WebhookEvent;
  automationType: AutomationTypeId;
  kind: RuleKind;
  body: RuleBody;
}

/** The header the action sends the secret in, as an admin sees it (verify-secret reads it lower-cased). */
export const SECRET_HEADER = 'X-Deskplan-Secret';
if (SECRET_HEADER.toLowerCase() !== RECEIVED_HEADER) throw new Error('secret header names differ');

const LABELS: Record<WebhookEvent, string> = {
  created: 'ticket created',
  updated: 'ticket updated',
  agent_replied: 'agent reply',
  customer_replied: 'customer reply',
};

/** deskplan's name for a rule: "deskplan acme: ticket created". */
function ruleName(tenantId: string, event: WebhookEvent): string {
  return `deskplan ${tenantId}: ${LABELS[event]}`;
}

/**
 * A condition every ticket meets (Freshdesk has no "always"): priority is one of the four. On a
 * ticket-updates rule it keeps the rule from matching nothing.
 */
const EVERY_TICKET: RuleBody['conditions'] = [
  {
    name: 'condition_set_1',
    match_type: 'any',
    properties: [
      { resource_type: 'ticket', field_name: 'priority', operator: 'in', value: [1, 2, 3, 4] },
    ],
  },
];

/** Any change of a property: `from` and `to` both "--" (any). */
const changed = (field: string): RuleEvent => ({ field_name: field, from: '--', to: '--' });

/** The template body as the JSON object Freshdesk takes for a JSON "Advanced" content. */
export function webhookContent(event: WebhookEvent): Record<string, unknown> {
  return JSON.parse(freshdeskWebhookBody(event)) as Record<string, unknown>;
}

function action(event: WebhookEvent, target: SetupTarget, secret: string): WebhookAction {
  return {
    field_name: 'trigger_webhook',
    request_type: 'POST',
    url: target.webhookUrl,
    content_type: 'JSON',
    content_layout: '2',
    content: webhookContent(event),
    custom_headers: { [SECRET_HEADER]: secret },
  };
}

/**
 * The four rules: ticket created (ticket creation), and on ticket updates: property changes
 * (status, priority, type, group, agent; by an agent or the requester), a reply sent by an
 * agent, a reply sent by the requester.
 */
export function wantedRules(target: SetupTarget, secret: string): WantedRule[] {
  const rule = (
    event: WebhookEvent,
    automationType: AutomationTypeId,
    extra: Pick<RuleBody, 'performer' | 'events'>,
  ): WantedRule => ({
    event,
    automationType,
    kind: RULE_KIND[automationType],
    body: {
      name: ruleName(target.tenantId, event),
      active: true,
      ...extra,
      conditions: EVERY_TICKET,
      actions: [action(event, target, secret)],
    },
  });
  return [
    rule('created', AUTOMATION_TYPE.ticketCreation, {}),
    rule('updated', AUTOMATION_TYPE.ticketUpdates, {
      performer: { type: PERFORMER.agentOrRequester },
      events: ['status', 'priority', 'ticket_type', 'group_id', 'responder_id'].map(changed),
    }),
    rule('agent_replied', AUTOMATION_TYPE.ticketUpdates, {
      performer: { type: PERFORMER.agent },
      events: [{ field_name: 'reply_sent' }],
    }),
    rule('customer_replied', AUTOMATION_TYPE.ticketUpdates, {
      performer: { type: PERFORMER.requester },
      events: [{ field_name: 'reply_sent' }],
    }),
  ];
}

/** A rule as Freshdesk returns it (its schema is in vendor-schemas.ts). */
export type { LiveRule };

const webhookOf = (rule: LiveRule) =>
  (rule.actions ?? []).find((a) => a.field_name === 'trigger_webhook') ?? null;

/** A header's value whatever the case of its name. */
function headerValue(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== 'object') return null;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name.toLowerCase() && typeof value === 'string') return value;
  }
  return null;
}

/** Structural equality of JSON values (object key order ignored). */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const list = b as unknown[];
    return a.length === list.length && a.every((v, i) => sameJson(v, list[i]));
  }
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return sameJson(ka, kb) && ka.every((k) => sameJson(ra[k], rb[k]));
}

/** The content as an object: Freshdesk may hand an "Advanced" JSON content back as text. */
function contentObject(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  try {
    return JSON.parse(content);
  } catch {
    return content;
  }
}

/**
 * What differs between the live rule and the wanted one, in words ('inactive', 'url changed',
 * 'secret header changed' …); [] when it is as wanted. Never includes the secret itself.
 */
export function ruleDifferences(live: LiveRule, wanted: WantedRule): string[] {
  const diffs: string[] = [];
  const want = wanted.body.actions[0]!;
  if (live.active !== true) diffs.push('inactive');
  const hook = webhookOf(live);
  if (!hook) return [...diffs, 'no webhook action'];
  if (hook.url !== want.url) diffs.push('url changed');
  if (String(hook.request_type).toUpperCase() !== want.request_type) diffs.push('method changed');
  if (String(hook.content_type).toUpperCase() !== want.content_type) {
    diffs.push('encoding changed');
  }
  if (!sameJson(contentObject(hook.content), want.content)) diffs.push('body changed');
  const secret = headerValue(hook.custom_headers, SECRET_HEADER);
  if (secret === null) diffs.push('secret header missing');
  else if (secret !== want.custom_headers[SECRET_HEADER]) diffs.push('secret header changed');
  if (wanted.automationType === AUTOMATION_TYPE.ticketUpdates) {
    const wantedType = String(wanted.body.performer?.type);
    if (String(live.performer?.type ?? '') !== wantedType) diffs.push('performer changed');
    const names = (events: { field_name?: string | null }[] | null | undefined) =>
      [...new Set((events ?? []).map((e) => e.field_name ?? ''))].sort().join(',');
    if (names(live.events) !== names(wanted.body.events)) diffs.push('events changed');
  }
  return diffs;
}
