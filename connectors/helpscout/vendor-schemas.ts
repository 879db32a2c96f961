import { z } from 'zod';

// Lenient on purpose: Help Scout adds fields and leaves others out. Unknown keys pass through.
const id = z.union([z.number(), z.string().min(1)]).transform(String);
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null || v === '' ? null : String(v)));
const person = z
  .looseObject({ id: id.nullish(), type: text, email: text, first: text, last: text })
  .nullish()
  .catch(null);

/** A thread of a conversation (List Threads, or `_embedded.threads` with embed=threads). */
const threadSchema = z.looseObject({
  id,
  /** customer, reply, note, message, chat, phone, lineitem, forwardparent, forwardchild… */
  type: z.string(),
  state: text,
  status: text,
  body: text,
  createdAt: z.string(),
  createdBy: person,
});
export type HelpscoutThread = z.infer<typeof threadSchema>;

/** A custom field value on a conversation: `value` is what the API takes back (an option id for dropdowns). */
const customFieldSchema = z.looseObject({ id: z.number(), name: text, value: text, text });

/**
 * The v2 Conversation object: the body of every `convo.*` webhook, and of Get Conversation.
 * https://developer.helpscout.com/mailbox-api/endpoints/conversations/get/
 */
export const conversationSchema = z.looseObject({
  id,
  number: z.number().nullish(),
  /** How many threads the conversation has (Get Conversation renders it; a listing too). */
  threads: z.number().nullish().catch(null),
  type: text,
  status: text,
  state: text,
  subject: text,
  mailboxId: id.nullish(),
  createdAt: z.string(),
  updatedAt: text,
  userUpdatedAt: text,
  closedAt: text,
  createdBy: person,
  primaryCustomer: person,
  source: z.looseObject({ type: text, via: text }).nullish().catch(null),
  tags: z
    .array(z.looseObject({ id: z.number().nullish(), tag: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
  customFields: z
    .array(customFieldSchema)
    .nullish()
    .transform((v) => v ?? []),
  _embedded: z
    .looseObject({ threads: z.array(threadSchema).nullish() })
    .nullish()
    .catch(null),
});
export type HelpscoutConversation = z.infer<typeof conversationSchema>;

/** HAL paging of a list (https://developer.helpscout.com/mailbox-api/overview/pagination/). */
const pageSchema = z.looseObject({ number: z.number(), totalPages: z.number() }).nullish();

/** Whether a HAL list's page is its last (a list without paging is one page). */
export const isLastPage = (page: z.infer<typeof pageSchema>) =>
  !page || page.number >= page.totalPages;

/** List Threads: GET /v2/conversations/{id}/threads (HAL, newest first). */
export const threadListSchema = z.looseObject({
  _embedded: z.looseObject({ threads: z.array(threadSchema) }).nullish(),
  page: pageSchema,
});

/** Get Customer: only the organisation it belongs to. */
export const customerSchema = z.looseObject({
  id,
  organizationId: id.nullish(),
  organization: text,
});

/** Get Organization: https://developer.helpscout.com/mailbox-api/endpoints/organizations/get/ */
export const organizationSchema = z.looseObject({
  id,
  name: text,
  domains: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});
export type HelpscoutOrganization = z.infer<typeof organizationSchema>;

/** The OAuth2 token endpoint's answer (client-credentials grant). */
export const tokenSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
});

/**
 * A webhook as Get Webhook / List Webhooks render it; the secret is never returned.
 * https://developer.helpscout.com/mailbox-api/endpoints/webhooks/get/
 */
export const webhookSchema = z.looseObject({
  id,
  url: z.string(),
  /** enabled or disabled. */
  state: text,
  events: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  notification: z.boolean().nullish(),
  payloadVersion: text,
  label: text,
  mailboxIds: z.array(z.number()).nullish(),
});
export type HelpscoutWebhook = z.infer<typeof webhookSchema>;

/** List Webhooks: GET /v2/webhooks (HAL, `_embedded.webhooks`, 50 a page). */
export const webhookListSchema = z.looseObject({
  _embedded: z.looseObject({ webhooks: z.array(webhookSchema).nullish() }).nullish(),
  page: pageSchema,
});

/** List Mailboxes: GET /v2/mailboxes (only the ids and names are read). */
export const mailboxListSchema = z.looseObject({
  _embedded: z
    .looseObject({ mailboxes: z.array(z.looseObject({ id: z.number(), name: text })).nullish() })
    .nullish(),
  page: pageSchema,
});

/**
 * List Mailbox Custom Fields: GET /v2/mailboxes/{id}/fields; `type` is lower case in v2
 * ("dropdown", "date"…). https://developer.helpscout.com/mailbox-api/endpoints/mailboxes/mailbox-fields/
 */
export const mailboxFieldListSchema = z.looseObject({
  _embedded: z
    .looseObject({
      fields: z.array(z.looseObject({ id: z.number(), name: text, type: text })).nullish(),
    })
    .nullish(),
  page: pageSchema,
});

/** Get Resource Owner: GET /v2/users/me (who the OAuth app acts as). */
export const userSchema = z.looseObject({ id, email: text, role: text });

/**
 * List Conversations: GET /v2/conversations (25 a page).
 * https://developer.helpscout.com/mailbox-api/endpoints/conversations/list/
 */
export const conversationListSchema = z.looseObject({
  _embedded: z.looseObject({ conversations: z.array(conversationSchema).nullish() }).nullish(),
  page: pageSchema,
});
