import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import { nullIfNotFound, removedOrGone, VendorRejectedError } from '../core/errors.js';
import { vendorCalls, type HttpClientOptions } from '../core/http-client.js';
import { createZendeskHttp } from './client.js';
import { apiBase, type ZendeskConnection } from './connection-schema.js';
import type { WantedTrigger, WantedWebhook } from './setup-plan.js';

/**
 * The REST calls of onboarding. Webhooks API:
 * https://developer.zendesk.com/api-reference/webhooks/webhooks-api/webhooks/ (list with
 * filter[name_contains], create, show, update (PUT), delete, show signing secret, test);
 * Triggers API: https://developer.zendesk.com/api-reference/ticketing/business-rules/triggers/;
 * Ticket Fields API: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/;
 * Show the currently authenticated user: https://developer.zendesk.com/api-reference/ticketing/users/users/#show-self
 */

const webhookSchema = z.object({
  id: z.string(),
  name: z.string(),
  endpoint: z.string(),
  http_method: z.string(),
  request_format: z.string(),
  status: z.string(),
  subscriptions: z.array(z.string()).nullish(),
});
const webhookListSchema = z.object({
  webhooks: z.array(webhookSchema),
  meta: z.object({ has_more: z.boolean().nullish(), after_cursor: z.string().nullish() }).nullish(),
});
const triggerSchema = z.object({
  id: z.number(),
  title: z.string(),
  active: z.boolean(),
  conditions: z
    .object({ all: z.array(z.unknown()).nullish(), any: z.array(z.unknown()).nullish() })
    .nullish(),
  actions: z.array(z.unknown()).nullish(),
});
const triggerListSchema = z.object({
  triggers: z.array(triggerSchema),
  next_page: z.string().nullish(),
});
const ticketFieldSchema = z.object({
  id: z.number(),
  title: z.string(),
  type: z.string(),
  active: z.boolean(),
});
const ticketFieldListSchema = z.object({
  ticket_fields: z.array(ticketFieldSchema),
  next_page: z.string().nullish(),
});
const meSchema = z.object({
  user: z.object({ id: z.number().nullable(), role: z.string(), email: z.string().nullish() }),
});

/** The live webhook's settings that deskplan cares about. */
export type LiveWebhook = z.infer<typeof webhookSchema>;
export type LiveTrigger = z.infer<typeof triggerSchema>;
export type LiveTicketField = z.infer<typeof ticketFieldSchema>;
export type Me = z.infer<typeof meSchema>['user'];
export type DeleteOutcome = 'removed' | 'gone';

/** Zendesk's answer to a webhook test: the status deskplan's endpoint answered, if any. */
export interface WebhookTestResult {
  status: number | null;
}

/** Pages are followed through `next_page` (absolute URLs), at most this many. */
const MAX_PAGES = 50;

export interface ZendeskSetupClient {
  me(): Promise<Me>;
  findWebhook(id: string): Promise<LiveWebhook | null>;
  webhooksNamed(name: string): Promise<LiveWebhook[]>;
  createWebhook(wanted: WantedWebhook): Promise<LiveWebhook>;
  updateWebhook(id: string, wanted: WantedWebhook): Promise<void>;
  deleteWebhook(id: string): Promise<DeleteOutcome>;
  signingSecret(id: string): Promise<string>;
  testWebhook(id: string, endpoint: string): Promise<WebhookTestResult>;
  findTrigger(id: number): Promise<LiveTrigger | null>;
  listTriggers(): Promise<LiveTrigger[]>;
  createTrigger(wanted: WantedTrigger): Promise<LiveTrigger>;
  updateTrigger(id: number, wanted: WantedTrigger): Promise<void>;
  deleteTrigger(id: number): Promise<DeleteOutcome>;
  findTicketField(id: number): Promise<LiveTicketField | null>;
  listTicketFields(): Promise<LiveTicketField[]>;
  createTicketField(field: {
    type: 'text';
    title: string;
    description: string;
    active: boolean;
  }): Promise<LiveTicketField>;
}

export function createZendeskSetupClient(
  connection: ZendeskConnection,
  options: HttpClientOptions = {},
): ZendeskSetupClient {
  const http: AxiosInstance = createZendeskHttp(connection, options);
  const call = vendorCalls('Zendesk', options);
  const orNull = <T>(what: string, fn: () => Promise<T>): Promise<T | null> =>
    nullIfNotFound(() => call(what, fn));
  const remove = (what: string, path: string): Promise<DeleteOutcome> =>
    removedOrGone(() => call(what, () => http.delete(path)));
  /** Offset-paginated lists: follows next_page (absolute URLs on the same host). */
  async function pages<T>(
    path: string,
    parse: (data: unknown) => { items: T[]; next: string | null },
  ): Promise<T[]> {
    const all: T[] = [];
    let url: string | null = path;
    const origin = new URL(apiBase(connection)).origin;
    for (let page = 0; url && page < MAX_PAGES; page++) {
      // The credentials go with every page: never follow a link off the account's own host.
      if (/^https?:/i.test(url) && new URL(url).origin !== origin) {
        throw new VendorRejectedError(`Zendesk pointed the next page off its host: ${url}`, null);
      }
      const { data }: { data: unknown } = await http.get(url);
      const { items, next } = parse(data);
      all.push(...items);
      url = next;
    }
    return all;
  }

  return {
    me: () =>
      call(
        'show current user',
        async () => meSchema.parse((await http.get('/users/me.json')).data).user,
      ),
    findWebhook: (id) =>
      orNull(`show webhook ${id}`, async () =>
        webhookSchema.parse((await http.get(`/webhooks/${encodeURIComponent(id)}`)).data?.webhook),
      ),
    webhooksNamed: (name) =>
      call('list webhooks', async () => {
        const found: LiveWebhook[] = [];
        let after: string | null = null;
        for (let page = 0; page < MAX_PAGES; page++) {
          const params: Record<string, string | number> = {
            'filter[name_contains]': name,
            'page[size]': 100,
            ...(after ? { 'page[after]': after } : {}),
          };
          const list = webhookListSchema.parse((await http.get('/webhooks', { params })).data);
          found.push(...list.webhooks.filter((w) => w.name === name));
          after = list.meta?.has_more ? (list.meta.after_cursor ?? null) : null;
          if (!after) break;
        }
        return found;
      }),
    createWebhook: (wanted) =>
      call('create webhook', async () =>
        webhookSchema.parse((await http.post('/webhooks', { webhook: wanted })).data?.webhook),
      ),
    updateWebhook: (id, wanted) =>
      call(`update webhook ${id}`, async () => {
        await http.put(`/webhooks/${encodeURIComponent(id)}`, { webhook: wanted });
      }),
    deleteWebhook: (id) => remove(`delete webhook ${id}`, `/webhooks/${encodeURIComponent(id)}`),
    signingSecret: (id) =>
      call(`show webhook signing secret ${id}`, async () => {
        const { data } = await http.get(`/webhooks/${encodeURIComponent(id)}/signing_secret`);
        return z.object({ signing_secret: z.object({ secret: z.string().min(1) }) }).parse(data)
          .signing_secret.secret;
      }),
    testWebhook: (id, endpoint) =>
      call(`test webhook ${id}`, async () => {
        // Test Webhook: an existing webhook's settings (and its signing secret) are used, the
        // request's fields override them. The answer's shape is not checked against a live
        // account: `response.status` is read, with `test.response_code` as a fallback.
        const { data } = await http.post(
          '/webhooks/test',
          {
            request: {
              endpoint,
              http_method: 'POST',
              request_format: 'json',
              payload: JSON.stringify({ deskplan: 'test' }),
            },
          },
          { params: { webhook_id: id } },
        );
        const answer = data as {
          response?: { status?: unknown };
          test?: { response_code?: unknown };
        } | null;
        const status = Number(answer?.response?.status ?? answer?.test?.response_code);
        return { status: Number.isInteger(status) && status > 0 ? status : null };
      }),
    findTrigger: (id) =>
      orNull(`show trigger ${id}`, async () =>
        triggerSchema.parse((await http.get(`/triggers/${id}.json`)).data?.trigger),
      ),
    listTriggers: () =>
      call('list triggers', () =>
        pages('/triggers.json?per_page=100', (data) => {
          const list = triggerListSchema.parse(data);
          return { items: list.triggers, next: list.next_page ?? null };
        }),
      ),
    createTrigger: (wanted) =>
      call('create trigger', async () =>
        triggerSchema.parse((await http.post('/triggers.json', { trigger: wanted })).data?.trigger),
      ),
    updateTrigger: (id, wanted) =>
      call(`update trigger ${id}`, async () => {
        await http.put(`/triggers/${id}.json`, { trigger: wanted });
      }),
    deleteTrigger: (id) => remove(`delete trigger ${id}`, `/triggers/${id}.json`),
    findTicketField: (id) =>
      orNull(`show ticket field ${id}`, async () =>
        ticketFieldSchema.parse((await http.get(`/ticket_fields/${id}.json`)).data?.ticket_field),
      ),
    listTicketFields: () =>
      call('list ticket fields', () =>
        pages('/ticket_fields.json', (data) => {
          const list = ticketFieldListSchema.parse(data);
          return { items: list.ticket_fields, next: list.next_page ?? null };
        }),
      ),
    createTicketField: (field) =>
      call('create ticket field', async () =>
        ticketFieldSchema.parse(
          (await http.post('/ticket_fields.json', { ticket_field: field })).data?.ticket_field,
        ),
      ),
  };
}
