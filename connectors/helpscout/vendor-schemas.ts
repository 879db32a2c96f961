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
export const threadSchema = z.looseObject({
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
export const customFieldSchema = z.looseObject({ id: z.number(), name: text, value: text, text });
export type HelpscoutCustomField = z.infer<typeof customFieldSchema>;

/**
 * The v2 Conversation object: the body of every `convo.*` webhook, and of Get Conversation.
 * https://developer.helpscout.com/mailbox-api/endpoints/conversations/get/
 */
export const conversationSchema = z.looseObject({
  id,
  number: z.number().nullish(),
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

/** List Threads: GET /v2/conversations/{id}/threads (HAL, newest first). */
export const threadListSchema = z.looseObject({
  _embedded: z.looseObject({ threads: z.array(threadSchema) }).nullish(),
  page: z.looseObject({ number: z.number(), totalPages: z.number() }).nullish(),
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
