import { metricsWithField } from '../core/due-field-ids.js';
import type { AxiosResponse } from 'axios';
import { nullIfNotFound, removedOrGone, VendorError, VendorRejectedError } from '../core/errors.js';
import type { HttpClientOptions } from '../core/http-client.js';
import type { DoctorCheck, Setup, SetupItem, SetupStep } from '../core/setup.js';
import { createHelpscoutApi } from './api-call.js';
import type { HelpscoutConnection } from './connection-schema.js';
import {
  dueFieldChecks,
  findAdoptable,
  secretFingerprint,
  wantedWebhook,
  webhookBody,
  webhookChanges,
  webhookChecks,
  type FoundField,
} from './setup-plan.js';
import {
  isLastPage,
  mailboxFieldListSchema,
  mailboxListSchema,
  userSchema,
  webhookListSchema,
  webhookSchema,
  type HelpscoutWebhook,
} from './vendor-schemas.js';

/** Pages of a HAL list read at most (50 items a page). */
const MAX_PAGES = 20;

/**
 * Help Scout onboarding: one webhook (Mailbox API 2.0 Webhooks) posting the convo.* events to
 * deskplan, signed with webhookSecrets[0]; the due fields (custom Date fields, which the API
 * cannot create) are only checked. See setup-plan.ts for what is compared, and the README.
 */
export function createHelpscoutSetup(
  connection: HelpscoutConnection,
  options: HttpClientOptions = {},
): Setup {
  const api = createHelpscoutApi(connection, options);
  const webhookPath = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

  /** Every page of a HAL list, the items `pick` finds on each. */
  async function listAll<T>(
    what: string,
    url: string,
    pick: (data: unknown) => { items: T[]; last: boolean },
  ): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { items, last } = pick(await api.call(what, { method: 'GET', url, params: { page } }));
      all.push(...items);
      if (last) break;
    }
    return all;
  }

  const getWebhook = (id: string): Promise<HelpscoutWebhook | null> =>
    nullIfNotFound(async () =>
      webhookSchema.parse(
        await api.call(`get webhook ${id}`, { method: 'GET', url: webhookPath(id) }),
      ),
    );

  const listWebhooks = () =>
    listAll('list webhooks', '/webhooks', (data) => {
      const list = webhookListSchema.parse(data);
      return { items: list._embedded?.webhooks ?? [], last: isLastPage(list.page) };
    });

  /** 201 with the new id in Resource-ID (and Location). */
  async function createWebhook(body: object): Promise<string> {
    const response: AxiosResponse = await api.request('create webhook', {
      method: 'POST',
      url: '/webhooks',
      data: body,
    });
    const header =
      response.headers['resource-id'] ?? /\/(\d+)$/.exec(response.headers.location)?.[1];
    if (header === undefined || header === '') {
      throw new VendorRejectedError(
        'Help Scout create webhook: the answer named no Resource-ID',
        response.status,
      );
    }
    return String(header);
  }

  const deleteWebhook = (id: string) =>
    removedOrGone(() =>
      api.call(`delete webhook ${id}`, { method: 'DELETE', url: webhookPath(id) }),
    );

  /** The first recorded webhook that still exists, and the recorded ids that are gone. */
  async function findRecorded(known: readonly SetupItem[]) {
    let live: HelpscoutWebhook | null = null;
    let item: SetupItem | null = null;
    const gone: string[] = [];
    const extra: SetupItem[] = [];
    for (const k of known.filter((i) => i.kind === 'webhook')) {
      if (live) {
        extra.push(k);
        continue;
      }
      live = await getWebhook(k.id);
      if (live) item = k;
      else gone.push(k.id);
    }
    return { live, item, gone, extra };
  }

  /** Every custom field of every mailbox, by id (a company-wide field shows in several). */
  async function readFields(): Promise<Map<number, FoundField>> {
    const fields = new Map<number, FoundField>();
    if (metricsWithField(connection.dueFields).length === 0) return fields;
    const mailboxes = await listAll('list mailboxes', '/mailboxes', (data) => {
      const list = mailboxListSchema.parse(data);
      return { items: list._embedded?.mailboxes ?? [], last: isLastPage(list.page) };
    });
    for (const mailbox of mailboxes) {
      const found = await listAll(
        `list fields of mailbox ${mailbox.id}`,
        `/mailboxes/${mailbox.id}/fields`,
        (data) => {
          const list = mailboxFieldListSchema.parse(data);
          return { items: list._embedded?.fields ?? [], last: isLastPage(list.page) };
        },
      );
      const where = mailbox.name ?? `mailbox ${mailbox.id}`;
      for (const field of found) {
        const seen = fields.get(field.id);
        if (seen) seen.mailboxes.push(where);
        else fields.set(field.id, { ...field, mailboxes: [where] });
      }
    }
    return fields;
  }

  return {
    async connect(target, known, journal) {
      const wanted = wantedWebhook(target, connection);
      const fingerprint = secretFingerprint(connection);
      const learned = connection.webhookSecretFingerprint === fingerprint;
      const steps: SetupStep[] = [];
      const recorded = await findRecorded(known);
      // More than one recorded webhook would deliver every event twice: the others go.
      for (const extra of recorded.extra) {
        steps.push({
          action: await deleteWebhook(extra.id),
          item: extra,
          detail: 'a second deskplan webhook',
        });
      }
      let live = recorded.live;
      const notes: string[] = [];
      if (recorded.gone.length > 0) {
        notes.push(`webhook ${recorded.gone.join(', ')} was deleted in Help Scout`);
      }
      if (!live) {
        live = findAdoptable(await listWebhooks(), wanted);
        if (live) notes.push(`adopted webhook ${live.id}, which already posts to ${wanted.url}`);
      }
      // Help Scout disables a webhook (e.g. one whose deliveries keep failing); no documented
      // field turns it back on, so a disabled one is replaced.
      if (live && live.state === 'disabled') {
        await deleteWebhook(String(live.id));
        notes.push(`webhook ${live.id} was disabled in Help Scout: replaced`);
        live = null;
      }
      const connectionOut = learned ? {} : { webhookSecretFingerprint: fingerprint };
      if (!live) {
        const id = await createWebhook(webhookBody(wanted));
        const made: SetupItem = { kind: 'webhook', id, name: wanted.label };
        await journal.created(made);
        steps.push({
          action: 'created',
          item: made,
          ...(notes.length ? { detail: notes.join('; ') } : {}),
        });
        return { steps, items: [made], connection: connectionOut };
      }
      const item: SetupItem = { kind: 'webhook', id: String(live.id), name: wanted.label };
      const changes = webhookChanges(wanted, live, learned);
      if (changes.length > 0) {
        await api.call(`update webhook ${live.id}`, {
          method: 'PUT',
          url: webhookPath(item.id),
          data: webhookBody(wanted, live),
        });
        notes.push(`${changes.join(', ')} changed`);
      }
      steps.push({
        action: changes.length > 0 ? 'updated' : 'unchanged',
        item,
        ...(notes.length ? { detail: notes.join('; ') } : {}),
      });
      return { steps, items: [item], connection: connectionOut };
    },

    async disconnect(known) {
      const steps: SetupStep[] = [];
      for (const item of known) {
        if (item.kind !== 'webhook') {
          steps.push({ action: 'kept', item, detail: 'not a Help Scout webhook' });
          continue;
        }
        const action = await deleteWebhook(item.id);
        steps.push({
          action,
          item,
          ...(action === 'gone' ? { detail: 'already deleted in Help Scout' } : {}),
        });
      }
      return steps;
    },

    async doctor(target, known) {
      const checks: DoctorCheck[] = [];
      try {
        const me = userSchema.parse(
          await api.call('get users/me', { method: 'GET', url: '/users/me' }),
        );
        checks.push({
          check: 'credentials',
          ok: true,
          detail: `the OAuth app acts as ${me.email ?? `user ${me.id}`}${me.role ? ` (${me.role})` : ''}`,
        });
      } catch (error) {
        if (!(error instanceof VendorError)) throw error;
        return [
          {
            check: 'credentials',
            ok: false,
            detail: error.message,
            fix:
              error.vendorStatus === 401 || error.vendorStatus === 400
                ? 'check connection.auth: the App ID and App Secret of the app under Your Profile > My Apps in Help Scout (its user must still be active)'
                : 'Help Scout did not answer: try again later',
          },
        ];
      }
      const recorded = await findRecorded(known);
      const live =
        recorded.live ?? findAdoptable(await listWebhooks(), wantedWebhook(target, connection));
      checks.push(
        ...webhookChecks(
          { live, recorded: recorded.live !== null, goneId: recorded.gone[0] ?? null },
          target,
          connection,
        ),
      );
      checks.push(...dueFieldChecks(connection, await readFields()));
      return checks;
    },
  };
}
