import { VendorRejectedError } from '../core/errors.js';
import type { HttpClientOptions } from '../core/http-client.js';
import { DUE_METRICS } from '../core/ticket-patch.js';
import type {
  DoctorCheck,
  Setup,
  SetupItem,
  SetupJournal,
  SetupStep,
  SetupTarget,
} from '../core/setup.js';
import type { ZendeskConnection } from './connection-schema.js';
import {
  createZendeskSetupClient,
  type LiveTrigger,
  type LiveWebhook,
  type ZendeskSetupClient,
} from './setup-client.js';
import {
  DUE_FIELD_TITLES,
  nextWebhookSecrets,
  notifiedWebhook,
  triggerDifferences,
  wantedDueField,
  wantedTriggers,
  wantedWebhook,
  webhookDifferences,
  type WantedTrigger,
} from './setup-plan.js';

const FIELD_KEPT =
  'kept: deleting a ticket field deletes its value on every ticket; delete it in Admin Center ' +
  '(Objects and rules > Tickets > Fields) if it is no longer wanted';
const ADOPTED = 'found by its name (a connect cut short before recording it)';

const changedDetail = (changed: string[], adopted: boolean) =>
  [adopted ? ADOPTED : null, changed.length ? `${changed.join(', ')} changed` : null]
    .filter(Boolean)
    .join('; ') || undefined;

/** The webhook: by its recorded id, else by its exact name, else none. */
async function findWebhook(
  api: ZendeskSetupClient,
  name: string,
  known: readonly SetupItem[],
): Promise<{ live: LiveWebhook | null; adopted: boolean }> {
  const recorded = known.find((i) => i.kind === 'webhook');
  const byId = recorded ? await api.findWebhook(recorded.id) : null;
  if (byId) return { live: byId, adopted: false };
  const [byName] = await api.webhooksNamed(name);
  return { live: byName ?? null, adopted: byName !== undefined };
}

/** A trigger: by its recorded id, else by its exact title in the (once fetched) list. */
function triggerFinder(api: ZendeskSetupClient, known: readonly SetupItem[]) {
  let listed: LiveTrigger[] | null = null;
  return async (title: string): Promise<{ live: LiveTrigger | null; adopted: boolean }> => {
    const recorded = known.find((i) => i.kind === 'trigger' && i.name === title);
    const byId = recorded ? await api.findTrigger(Number(recorded.id)) : null;
    if (byId) return { live: byId, adopted: false };
    listed ??= await api.listTriggers();
    const byTitle = listed.find((t) => t.title === title) ?? null;
    return { live: byTitle, adopted: byTitle !== null };
  };
}

const TRIGGER_PROBLEMS: Record<string, string> = {
  active: 'deactivated in Zendesk',
  conditions: 'conditions edited in Zendesk',
  actions: 'action edited in Zendesk (webhook or body)',
};

/** Zendesk's onboarding for one tenant's connection: webhook, triggers, due fields. */
export function createZendeskSetup(
  connection: ZendeskConnection,
  options: HttpClientOptions = {},
): Setup {
  const api = createZendeskSetupClient(connection, options);

  return {
    async connect(target: SetupTarget, known: readonly SetupItem[], journal: SetupJournal) {
      const steps: SetupStep[] = [];
      const items: SetupItem[] = [];
      const learned: Record<string, unknown> = {};
      const made = async (item: SetupItem, detail?: string) => {
        await journal.created(item);
        steps.push({ action: 'created', item, ...(detail ? { detail } : {}) });
        items.push(item);
      };

      // 1. The webhook, then its signing secret.
      const wanted = wantedWebhook(target.tenantId, target.webhookUrl);
      const found = await findWebhook(api, wanted.name, known);
      let webhook: LiveWebhook;
      if (!found.live) {
        webhook = await api.createWebhook(wanted);
        await made({ kind: 'webhook', id: webhook.id, name: wanted.name });
      } else {
        webhook = found.live;
        const item = { kind: 'webhook', id: webhook.id, name: wanted.name };
        if (found.adopted) await journal.created(item);
        const changed = webhookDifferences(webhook, wanted);
        if (webhook.name !== wanted.name) changed.unshift('name');
        if (changed.length > 0) await api.updateWebhook(webhook.id, wanted);
        const detail = changedDetail(changed, found.adopted);
        steps.push({
          action: changed.length ? 'updated' : 'unchanged',
          item,
          ...(detail ? { detail } : {}),
        });
        items.push(item);
      }
      const secrets = nextWebhookSecrets(
        connection.webhookSecrets,
        await api.signingSecret(webhook.id),
      );
      if (secrets) learned.webhookSecrets = secrets;

      // 2. The triggers, each notifying that webhook.
      const findTrigger = triggerFinder(api, known);
      for (const want of wantedTriggers(target.tenantId, webhook.id)) {
        const { live, adopted } = await findTrigger(want.title);
        if (!live) {
          const createdTrigger = await api.createTrigger(want);
          await made({ kind: 'trigger', id: String(createdTrigger.id), name: want.title });
          continue;
        }
        const item = { kind: 'trigger', id: String(live.id), name: want.title };
        if (adopted) await journal.created(item);
        const changed = triggerDifferences(live, want);
        if (changed.length > 0) await api.updateTrigger(live.id, want);
        const detail = changedDetail(changed, adopted);
        steps.push({
          action: changed.length ? 'updated' : 'unchanged',
          item,
          ...(detail ? { detail } : {}),
        });
        items.push(item);
      }

      // 3. The due fields the tenant has no id for (or whose configured field is gone).
      const dueFields = { ...connection.dueFields };
      let fieldsChanged = false;
      let listedFields: Awaited<ReturnType<ZendeskSetupClient['listTicketFields']>> | null = null;
      for (const metric of DUE_METRICS) {
        const title = DUE_FIELD_TITLES[metric];
        const configured = dueFields[metric];
        if (configured !== undefined) {
          const live = await api.findTicketField(configured);
          if (live) {
            const item = { kind: 'ticket-field', id: String(live.id), name: live.title };
            const ours = live.title === title || known.some((k) => k.id === item.id);
            steps.push({
              action: 'unchanged',
              item,
              ...(live.active
                ? {}
                : { detail: 'inactive in Zendesk: activate it in Admin Center' }),
            });
            if (ours) items.push(item);
            continue;
          }
        }
        listedFields ??= await api.listTicketFields();
        const existing = listedFields.find((f) => f.title === title && f.type === 'text');
        const gone =
          configured !== undefined ? `configured field ${configured} is gone` : undefined;
        if (existing) {
          const item = { kind: 'ticket-field', id: String(existing.id), name: title };
          await journal.created(item);
          const detail = [gone, ADOPTED].filter(Boolean).join('; ');
          steps.push({ action: 'unchanged', item, detail });
          items.push(item);
          dueFields[metric] = existing.id;
        } else {
          const createdField = await api.createTicketField(wantedDueField(metric));
          await made({ kind: 'ticket-field', id: String(createdField.id), name: title }, gone);
          dueFields[metric] = createdField.id;
        }
        fieldsChanged = true;
      }
      if (fieldsChanged) learned.dueFields = dueFields;

      return { steps, items, connection: learned };
    },

    async disconnect(known: readonly SetupItem[]) {
      // Triggers first (they point at the webhook), then the webhook; fields are kept.
      const rank = (i: SetupItem) => (i.kind === 'trigger' ? 0 : i.kind === 'webhook' ? 1 : 2);
      const steps: SetupStep[] = [];
      for (const item of [...known].sort((a, b) => rank(a) - rank(b))) {
        if (item.kind === 'trigger' || item.kind === 'webhook') {
          const outcome =
            item.kind === 'trigger'
              ? await api.deleteTrigger(Number(item.id))
              : await api.deleteWebhook(item.id);
          steps.push(
            outcome === 'gone'
              ? { action: 'gone', item, detail: 'already deleted in Zendesk' }
              : { action: 'removed', item },
          );
        } else if (item.kind === 'ticket-field') {
          steps.push({ action: 'kept', item, detail: FIELD_KEPT });
        } else {
          steps.push({
            action: 'kept',
            item,
            detail: `not a kind deskplan deletes (${item.kind})`,
          });
        }
      }
      return steps;
    },

    async doctor(target: SetupTarget, known: readonly SetupItem[]) {
      const tenant = target.tenantId;
      const connect = `run deskplan connect ${tenant}`;
      const checks: DoctorCheck[] = [];

      // Credentials: an anonymous or end-user answer means the token was not accepted.
      const badCredentials = {
        check: 'credentials',
        ok: false,
        fix: connection.auth
          ? `check connection.auth of ${tenant}: the email and API token (or OAuth token) of a ` +
            'Zendesk admin (Admin Center > Apps and integrations > Zendesk API)'
          : `${tenant} has no credentials yet: have a Zendesk admin approve deskplan ` +
            `(POST /api/tenants/${tenant}/oauth/zendesk gives the link), or add an API token`,
      };
      try {
        const me = await api.me();
        if (me.id === null || me.role === 'end-user') {
          checks.push({
            ...badCredentials,
            detail: `Zendesk answered as ${me.id === null ? 'an anonymous user' : 'an end user'}`,
          });
          return checks;
        }
        if (me.role !== 'admin') {
          checks.push({
            ...badCredentials,
            detail: `signed in as ${me.email ?? me.id} (${me.role}): webhooks and triggers need an admin`,
          });
          return checks;
        }
        checks.push({
          check: 'credentials',
          ok: true,
          detail: `signed in as ${me.email ?? me.id} (admin)`,
        });
      } catch (error) {
        const status = error instanceof VendorRejectedError ? error.vendorStatus : null;
        if (status === 401 || status === 403) {
          checks.push({
            ...badCredentials,
            detail: `Zendesk refused the credentials (HTTP ${status})`,
          });
        } else {
          checks.push({
            check: 'credentials',
            ok: false,
            detail: `Zendesk did not answer: ${(error as Error).message}`,
            fix: 'check connection.subdomain (or baseUrl) and try again later',
          });
        }
        return checks;
      }

      // The webhook.
      const wanted = wantedWebhook(tenant, target.webhookUrl);
      const { live: webhook } = await findWebhook(api, wanted.name, known);
      if (!webhook) {
        checks.push({
          check: 'webhook',
          ok: false,
          detail: `no webhook "${wanted.name}" in Zendesk`,
          fix: connect,
        });
      } else {
        const changed = webhookDifferences(webhook, wanted);
        const problems = changed.map((c) =>
          c === 'endpoint'
            ? `endpoint is ${webhook.endpoint}, not ${target.webhookUrl}`
            : c === 'status'
              ? `status is ${webhook.status}`
              : `${c} differs`,
        );
        checks.push(
          problems.length
            ? { check: 'webhook', ok: false, detail: problems.join('; '), fix: connect }
            : {
                check: 'webhook',
                ok: true,
                detail: `${webhook.id}, active, posts to ${webhook.endpoint}`,
              },
        );
        const secret = await api.signingSecret(webhook.id);
        checks.push(
          connection.webhookSecrets.includes(secret)
            ? {
                check: 'signing secret',
                ok: true,
                detail: 'the configured secret is the webhook’s',
              }
            : {
                check: 'signing secret',
                ok: false,
                detail:
                  connection.webhookSecrets.length === 0
                    ? 'no secret configured: every delivery is refused'
                    : 'the configured secrets are not the webhook’s: every delivery is refused',
                fix: `${connect} (it stores the webhook's secret in the tenant config)`,
              },
        );
      }

      // The triggers.
      const findTrigger = triggerFinder(api, known);
      for (const want of wantedTriggers(tenant, webhook?.id ?? '')) {
        const check = `trigger: ${want.title}`;
        const { live } = await findTrigger(want.title);
        if (!live) {
          checks.push({ check, ok: false, detail: 'missing in Zendesk', fix: connect });
          continue;
        }
        checks.push(triggerCheck(check, live, want, webhook, connect));
      }

      // The due fields.
      for (const metric of DUE_METRICS) {
        const check = `due field: ${DUE_FIELD_TITLES[metric]}`;
        const id = connection.dueFields[metric];
        if (id === undefined) {
          checks.push({ check, ok: false, detail: 'no field id configured', fix: connect });
          continue;
        }
        const field = await api.findTicketField(id);
        if (!field) {
          checks.push({
            check,
            ok: false,
            detail: `field ${id} is missing in Zendesk`,
            fix: connect,
          });
        } else if (!field.active) {
          checks.push({
            check,
            ok: false,
            detail: `field ${id} is inactive`,
            fix: 'activate it in Admin Center (Objects and rules > Tickets > Fields)',
          });
        } else {
          checks.push({ check, ok: true, detail: `field ${id} (${field.type}), active` });
        }
      }

      // Can Zendesk reach deskplan? Its webhook test posts to the URL and reports the answer.
      if (webhook) {
        const { status } = await api.testWebhook(webhook.id, target.webhookUrl);
        // Any answer from deskplan's receiver counts (a test body is refused with 400/401);
        // 404 means the URL names no route or tenant, 5xx or none means it is not reachable.
        const reached = status !== null && status < 500 && status !== 404;
        checks.push(
          reached
            ? {
                check: 'reachability',
                ok: true,
                detail: `Zendesk reached ${target.webhookUrl} (HTTP ${status})`,
              }
            : {
                check: 'reachability',
                ok: false,
                detail:
                  status === null
                    ? `Zendesk could not reach ${target.webhookUrl}`
                    : `Zendesk reached ${target.webhookUrl} but got HTTP ${status}`,
                fix:
                  'check that deskplan’s public URL is reachable from the internet and that the ' +
                  `tenant ${tenant} exists, then ${connect} if the URL changed`,
              },
        );
      }
      return checks;
    },
  };
}

function triggerCheck(
  check: string,
  live: LiveTrigger,
  want: WantedTrigger,
  webhook: LiveWebhook | null,
  fix: string,
): DoctorCheck {
  const problems = triggerDifferences(live, want)
    .filter((c) => !(c === 'actions' && webhook === null))
    .map((c) => TRIGGER_PROBLEMS[c] ?? `${c} differs`);
  const target = notifiedWebhook(live);
  if (webhook && target !== webhook.id) {
    problems.push(`notifies webhook ${target ?? '(none)'}, not ${webhook.id}`);
  }
  return problems.length
    ? { check, ok: false, detail: [...new Set(problems)].join('; '), fix }
    : { check, ok: true, detail: `${live.id}, active, notifies ${target}` };
}
