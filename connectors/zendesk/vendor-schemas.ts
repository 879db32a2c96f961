import { z } from 'zod';

// Lenient on purpose: vendors add fields and leave others empty. Unknown keys pass through.
const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null ? null : String(v)));

/** Our trigger body (trigger-template.ts), every value rendered as text. */
export const triggerBodySchema = z.looseObject({
  deskplan: z.string(),
  /** Set by the agent-reply trigger; absent for created/updated. */
  event: z.enum(['agent_replied', 'customer_replied']).nullish(),
  ticket: z.looseObject({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    subject: text,
    status: text,
    priority: text,
    tags: text,
    created_at: text,
    updated_at: text,
    organization_id: text,
    requester_email: text,
  }),
  current_user: z.looseObject({ id: text, role: text }).nullish(),
});

/** A zen:event-type:ticket.* event-subscription delivery. */
export const ticketEventEnvelopeSchema = z.looseObject({
  type: z.string().startsWith('zen:event-type:ticket.'),
  id: z.string().min(1),
  time: z.string(),
  subject: z.string().nullish(),
  detail: z.looseObject({
    id: z.union([z.string(), z.number()]).transform(String),
    subject: text,
    status: text,
    priority: text,
    tags: z.array(z.string()).nullish(),
    created_at: text,
    updated_at: text,
    organization_id: text,
    requester_id: text,
    actor_id: text,
    brand_id: text,
    form_id: text,
    via: z.looseObject({ channel: text }).nullish().catch(null),
  }),
  event: z.unknown().optional(),
});

/**
 * The `event` of a `ticket.comment_added` delivery, read only as far as it tells who wrote the
 * comment and whether it is public. Zendesk's field names here are not verified against a full
 * published example, so anything else (or nothing) parses and the event stays a plain update.
 */
export const commentAddedSchema = z.looseObject({
  comment: z.looseObject({
    id: text,
    is_public: z.boolean().nullish().catch(null),
    public: z.boolean().nullish().catch(null),
    author: z
      .looseObject({
        id: text,
        is_staff: z.boolean().nullish().catch(null),
        role: z.string().nullish().catch(null),
      })
      .nullish()
      .catch(null),
  }),
});

const customField = z.looseObject({ id: z.number(), value: z.unknown() });

const ticketSchema = z.looseObject({
  id: z.number(),
  subject: z.string().nullish(),
  status: z.string(),
  priority: z.string().nullish(),
  tags: z.array(z.string()).default([]),
  requester_id: z.number().nullish(),
  organization_id: z.number().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
  ticket_form_id: z.number().nullish(),
  brand_id: z.number().nullish(),
  via: z
    .looseObject({ channel: z.union([z.string(), z.number()]).nullish() })
    .nullish()
    .catch(null),
  custom_fields: z.array(customField).default([]),
});
const organizationsSchema = z
  .array(
    z.looseObject({
      id: z.number(),
      name: z.string().nullish(),
      domain_names: z.array(z.string()).default([]),
      organization_fields: z.record(z.string(), z.unknown()).default({}),
    }),
  )
  .default([]);
const usersSchema = z
  .array(z.looseObject({ id: z.number(), email: z.string().nullish() }))
  .default([]);

/** GET /api/v2/tickets/{id}.json?include=organizations,users */
export const showTicketSchema = z.looseObject({
  ticket: ticketSchema,
  organizations: organizationsSchema,
  users: usersSchema,
});
export type ShowTicket = z.infer<typeof showTicketSchema>;

/**
 * Incremental Ticket Export, cursor based (GET /api/v2/incremental/tickets/cursor.json with
 * start_time or cursor, include=organizations,users, exclude_deleted=true): the tickets changed
 * since start_time, with `after_cursor` and `end_of_stream`.
 */
export const incrementalTicketsSchema = z.looseObject({
  tickets: z.array(ticketSchema),
  organizations: organizationsSchema,
  users: usersSchema,
  after_cursor: z.string().nullish(),
  end_of_stream: z.boolean(),
});

const commentAuthorSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  role: z.string().nullish().catch(null),
});

/**
 * List Comments (GET /api/v2/tickets/{id}/comments): what finding our own note and counting
 * agent replies need. With `include=users` the comments' authors come side-loaded, each with
 * its `role` (end-user, agent, admin); with `page[size]` the answer carries cursor pagination
 * (`meta.has_more`, `meta.after_cursor`, `links.next`).
 */
export const commentListSchema = z.looseObject({
  comments: z.array(
    z.looseObject({
      id: z.union([z.string(), z.number()]).nullish(),
      body: z.string().nullish(),
      plain_body: z.string().nullish(),
      public: z.boolean().nullish(),
      author_id: z.union([z.string(), z.number()]).nullish().catch(null),
      created_at: z.string().nullish().catch(null),
    }),
  ),
  // One malformed user drops only that user (its comments then count as no one's).
  users: z
    .array(z.unknown())
    .default([])
    .catch([])
    .transform((users) =>
      users.flatMap((u) => {
        const parsed = commentAuthorSchema.safeParse(u);
        return parsed.success ? [parsed.data] : [];
      }),
    ),
  meta: z
    .looseObject({
      has_more: z.boolean().nullish().catch(null),
      after_cursor: z.string().nullish().catch(null),
    })
    .nullish()
    .catch(null),
  links: z
    .looseObject({ next: z.string().nullish().catch(null) })
    .nullish()
    .catch(null),
});
export type CommentList = z.infer<typeof commentListSchema>;
