import { z } from 'zod';

// Lenient on purpose: vendors add fields and leave others empty. Unknown keys pass through.
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null ? null : String(v)));
const id = z.union([z.string().min(1), z.number()]).transform(String);

export const WEBHOOK_EVENTS = ['created', 'updated', 'agent_replied', 'customer_replied'] as const;

/** Our webhook body (webhook-template.ts): every placeholder renders as text. */
export const webhookBodySchema = z.looseObject({
  deskplan: z.string(),
  /** The literal each automation rule's body carries. */
  event: z.enum(WEBHOOK_EVENTS),
  ticket: z.looseObject({
    id,
    subject: text,
    status: text,
    priority: text,
    tags: text,
    created_at: text,
    updated_at: text,
    company_id: text,
    requester_email: text,
  }),
  /** Freshdesk's own description of what fired the rule, e.g. {status:{from:2,to:3}}. */
  triggered_event: text,
});
export type WebhookBody = z.infer<typeof webhookBodySchema>;

const instantText = z.string().nullish().catch(null);

export const companySchema = z.looseObject({
  id: z.number(),
  name: z.string().nullish(),
  domains: z.array(z.string()).nullish().catch(null),
  custom_fields: z.record(z.string(), z.unknown()).nullish().catch(null),
});
export type FreshdeskCompany = z.infer<typeof companySchema>;

/** View a Ticket (GET /api/v2/tickets/{id}?include=company,requester,stats). */
export const viewTicketSchema = z.looseObject({
  id: z.number(),
  subject: z.string().nullish(),
  status: z.number(),
  priority: z.number().nullish(),
  source: z.number().nullish(),
  tags: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  requester_id: z.number().nullish(),
  company_id: z.number().nullish(),
  product_id: z.number().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  fr_due_by: instantText,
  due_by: instantText,
  company: z
    .looseObject({ id: z.number().nullish(), name: z.string().nullish() })
    .nullish()
    .catch(null),
  requester: z
    .looseObject({
      id: z.number().nullish(),
      email: z.string().nullish(),
      name: z.string().nullish(),
    })
    .nullish()
    .catch(null),
  stats: z
    .looseObject({ first_responded_at: instantText, agent_responded_at: instantText })
    .nullish()
    .catch(null),
});
export type ViewTicket = z.infer<typeof viewTicketSchema>;

/** List All Tickets: tickets as View a Ticket gives them (with the includes asked for). */
export const ticketListSchema = z.array(viewTicketSchema);

/**
 * List All Conversations of a Ticket: what finding our own note and listing agent replies need.
 * `source` is the conversation's kind: 0 a reply, 2 a note (5 tweet, 6 survey feedback, 7
 * Facebook post, 8 forwarded email, 9 phone, 11 e-commerce); `incoming` true for what came from
 * outside (a customer's message).
 */
export const conversationListSchema = z.array(
  z.looseObject({
    id: z.number().nullish().catch(null),
    body: z.string().nullish(),
    body_text: z.string().nullish(),
    private: z.boolean().nullish().catch(null),
    incoming: z.boolean().nullish().catch(null),
    source: z.number().nullish().catch(null),
    created_at: instantText,
  }),
);
export type FreshdeskConversation = z.infer<typeof conversationListSchema>[number];

/**
 * An automation rule as View / List Automation Rules give it (setup): only what is compared is
 * typed. https://developers.freshdesk.com/api/#automations
 */
export const liveRuleSchema = z.looseObject({
  id: z.number(),
  name: z.string(),
  active: z.boolean().nullish(),
  performer: z.looseObject({ type: z.union([z.number(), z.string()]).nullish() }).nullish(),
  events: z.array(z.looseObject({ field_name: z.string().nullish() })).nullish(),
  actions: z.array(z.record(z.string(), z.unknown())).nullish(),
});
export type LiveRule = z.infer<typeof liveRuleSchema>;
