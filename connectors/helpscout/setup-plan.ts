import { createHmac } from 'node:crypto';
import type { DoctorCheck, SetupTarget } from '../core/setup.js';
import { metricsWithField } from '../core/due-field-ids.js';
import type { HelpscoutConnection } from './connection-schema.js';
import { HELPSCOUT_EVENTS } from './to-event.js';
import type { HelpscoutWebhook } from './vendor-schemas.js';

/**
 * What deskplan wants of its Help Scout webhook, and how the live one compares: pure, no I/O.
 * Webhook fields: https://developer.helpscout.com/mailbox-api/endpoints/webhooks/create/ (url,
 * events and secret required; the secret at most 40 characters; payloadVersion only V2; label
 * optional); Get Webhook answers every field but the secret, plus `state` (enabled/disabled):
 * https://developer.helpscout.com/mailbox-api/endpoints/webhooks/get/
 */

/**
 * The events subscribed: those to-event.ts turns into ticket events, less convo.note.created
 * (every deskplan note would come back as an update) and convo.ai-answers.created (not among the
 * events Create Webhook lists). All are in Create Webhook's list.
 */
export const WEBHOOK_EVENTS: readonly string[] = [
  'convo.created',
  'convo.agent.reply.created',
  'convo.customer.reply.created',
  'convo.status',
  'convo.assigned',
  'convo.tags',
  'convo.custom-fields',
  'convo.moved',
  'convo.merged',
];

/** The label deskplan gives its webhook (Help Scout has no name; the label is free text). */
const webhookLabel = (tenantId: string) => `deskplan ${tenantId}`;

/**
 * A keyed hash of the secret connect sends (webhookSecrets[0]). Help Scout never returns a
 * webhook's secret, so connect keeps this in the connection (`webhookSecretFingerprint`) and
 * sends the secret again only when it no longer matches. Keyed with the app secret (sealed at
 * rest like the webhook secret), so the fingerprint alone tells nothing about a short secret.
 */
export function secretFingerprint(connection: HelpscoutConnection): string {
  return createHmac('sha256', connection.auth.appSecret)
    .update(`deskplan webhook secret v1\n${connection.webhookSecrets[0]}`)
    .digest('hex')
    .slice(0, 32);
}

export interface WantedWebhook {
  url: string;
  events: readonly string[];
  secret: string;
  label: string;
}

export function wantedWebhook(target: SetupTarget, connection: HelpscoutConnection): WantedWebhook {
  return {
    url: target.webhookUrl,
    events: WEBHOOK_EVENTS,
    secret: connection.webhookSecrets[0]!,
    label: webhookLabel(target.tenantId),
  };
}

/**
 * The body of Create / Update Webhook (an update replaces the whole webhook and needs the
 * secret too). A mailbox filter someone set on the live webhook is kept.
 */
export function webhookBody(wanted: WantedWebhook, live?: HelpscoutWebhook | null) {
  return {
    url: wanted.url,
    events: [...wanted.events],
    secret: wanted.secret,
    payloadVersion: 'V2',
    notification: false,
    label: wanted.label,
    ...(live?.mailboxIds?.length ? { mailboxIds: live.mailboxIds } : {}),
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * What differs between the live webhook and the wanted one, in words ('url', 'events'…);
 * 'secret' when connect cannot know Help Scout holds webhookSecrets[0] (`secretKnown` false).
 * Empty: nothing to update.
 */
export function webhookChanges(
  wanted: WantedWebhook,
  live: HelpscoutWebhook,
  secretKnown: boolean,
): string[] {
  const changes: string[] = [];
  if (live.url !== wanted.url) changes.push('url');
  if (!sameSet(live.events, wanted.events)) changes.push('events');
  if (!secretKnown) changes.push('secret');
  if (live.notification === true) changes.push('notification');
  if (live.payloadVersion && live.payloadVersion !== 'V2') changes.push('payload version');
  if (live.label !== wanted.label) changes.push('label');
  return changes;
}

/**
 * Adoption, when no recorded webhook exists: a webhook posting to exactly this tenant's URL (the
 * URL names deskplan's host and the tenant, so nothing else posts there) is deskplan's, made by a
 * connect cut short before its record was written, or by hand. One with deskplan's label is
 * preferred; none → null (a webhook is made).
 */
export function findAdoptable(
  webhooks: readonly HelpscoutWebhook[],
  wanted: WantedWebhook,
): HelpscoutWebhook | null {
  const atUrl = webhooks.filter((w) => w.url === wanted.url);
  return atUrl.find((w) => w.label === wanted.label) ?? atUrl[0] ?? null;
}

/** What doctor knows of the webhook: the live one (null: none), and whether it is recorded. */
export interface WebhookFound {
  live: HelpscoutWebhook | null;
  recorded: boolean;
  /** A recorded id Help Scout answers 404 for. */
  goneId: string | null;
}

/** The doctor's checks of the webhook. */
export function webhookChecks(
  found: WebhookFound,
  target: SetupTarget,
  connection: HelpscoutConnection,
): DoctorCheck[] {
  const connect = `run deskplan connect ${target.tenantId}`;
  const { live } = found;
  if (!live) {
    return [
      {
        check: 'webhook',
        ok: false,
        detail: found.goneId
          ? `webhook ${found.goneId} was deleted in Help Scout`
          : 'no deskplan webhook in Help Scout',
        fix: `${connect} (it makes the webhook)`,
      },
    ];
  }
  const checks: DoctorCheck[] = [
    found.recorded
      ? { check: 'webhook', ok: true, detail: `webhook ${live.id} (${live.label ?? 'no label'})` }
      : {
          check: 'webhook',
          ok: false,
          detail: `webhook ${live.id} posts to deskplan but is not recorded as deskplan's`,
          fix: `${connect} (it adopts the webhook)`,
        },
  ];
  checks.push(
    live.state === 'enabled'
      ? { check: 'webhook: state', ok: true, detail: 'enabled' }
      : {
          check: 'webhook: state',
          ok: false,
          detail: `${live.state ?? 'unknown'}: Help Scout sends nothing`,
          fix: `check that ${target.webhookUrl} is reachable from the internet, then ${connect} (it replaces a disabled webhook)`,
        },
  );
  checks.push(
    live.url === target.webhookUrl
      ? { check: 'webhook: url', ok: true, detail: live.url }
      : {
          check: 'webhook: url',
          ok: false,
          detail: `posts to ${live.url}, not ${target.webhookUrl}`,
          fix: connect,
        },
  );
  const missing = WEBHOOK_EVENTS.filter((e) => !live.events.includes(e));
  const refused = live.events.filter((e) => !HELPSCOUT_EVENTS.includes(e));
  checks.push(
    missing.length === 0 && refused.length === 0
      ? { check: 'webhook: events', ok: true, detail: live.events.join(', ') }
      : {
          check: 'webhook: events',
          ok: false,
          detail: [
            missing.length ? `missing ${missing.join(', ')}` : '',
            refused.length ? `subscribed to ${refused.join(', ')}, which deskplan answers 400` : '',
          ]
            .filter(Boolean)
            .join('; '),
          fix: connect,
        },
  );
  const payloadOk = live.notification !== true && (live.payloadVersion ?? 'V2') === 'V2';
  checks.push(
    payloadOk
      ? { check: 'webhook: payload', ok: true, detail: 'the whole conversation (V2)' }
      : {
          check: 'webhook: payload',
          ok: false,
          detail: live.notification
            ? 'notification webhook: only a resource URI is sent, which deskplan answers 400'
            : `payload version ${live.payloadVersion}`,
          fix: connect,
        },
  );
  checks.push(
    connection.webhookSecretFingerprint === secretFingerprint(connection)
      ? {
          check: 'webhook: secret',
          ok: true,
          detail: 'set by connect from webhookSecrets[0] (Help Scout never shows it)',
        }
      : {
          check: 'webhook: secret',
          ok: false,
          detail:
            'Help Scout never shows the secret, and connect has not set webhookSecrets[0] on it: signatures may not match',
          fix: connect,
        },
  );
  return checks;
}

/** A custom field as doctor found it, in one or more mailboxes. */
export interface FoundField {
  id: number;
  name: string | null;
  type: string | null;
  mailboxes: string[];
}

const HOW_TO_MAKE =
  "Help Scout's API cannot create custom fields: in Help Scout, Manage > Company > Custom Fields (or the inbox's settings > Custom Fields), add a field of type Date on the inboxes concerned";

/** The doctor's checks of the due fields: each configured id exists in a mailbox and is a Date. */
export function dueFieldChecks(
  connection: HelpscoutConnection,
  fields: ReadonlyMap<number, FoundField>,
): DoctorCheck[] {
  const configured = metricsWithField(connection.dueFields);
  if (configured.length === 0) {
    return [
      {
        check: 'due fields',
        ok: true,
        detail: 'none configured (dueFields is empty): the dues are written in the notes only',
      },
    ];
  }
  return configured.map((metric) => {
    const id = connection.dueFields[metric]!;
    const check = `due field: ${metric}`;
    const field = fields.get(id);
    const setIt = `then set connection.dueFields.${metric} to its id (GET /v2/mailboxes/{id}/fields lists them)`;
    if (!field) {
      return {
        check,
        ok: false,
        detail: `no custom field ${id} in any mailbox`,
        fix: `${HOW_TO_MAKE}, ${setIt}`,
      };
    }
    const where = `field ${id} "${field.name ?? ''}" in ${field.mailboxes.join(', ')}`;
    if (field.type?.toLowerCase() !== 'date') {
      return {
        check,
        ok: false,
        detail: `${where} is of type ${field.type ?? 'unknown'}, not Date`,
        fix: `${HOW_TO_MAKE}, ${setIt}`,
      };
    }
    return { check, ok: true, detail: `${where} (Date)` };
  });
}
