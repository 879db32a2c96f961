import { z } from 'zod';

/**
 * The common ticket model: what every connector turns a vendor webhook into, and the only
 * shape the rules ever see. Enums are normalised to a category plus the vendor's raw label,
 * so nothing the vendor said is lost (Zendesk "normal", Freshdesk "Medium" and a Help Scout
 * tag all land in `category`, with the original in `detail`). Absent values are null, never ''.
 */

export const VENDORS = ['zendesk', 'freshdesk', 'helpscout'] as const;
export const vendorSchema = z.enum(VENDORS);
export type Vendor = z.infer<typeof vendorSchema>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const prioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof prioritySchema>;

export const STATUS_CATEGORIES = [
  'new',
  'open',
  'pending',
  'hold',
  'solved',
  'closed',
  'spam',
  'other',
] as const;
export const statusCategorySchema = z.enum(STATUS_CATEGORIES);
export type StatusCategory = z.infer<typeof statusCategorySchema>;

/**
 * The channel a ticket came in by, normalised: Zendesk's via.channel "web", "email", "voice"…
 * land in `category`, with the raw value in `detail`. Unknown channels are 'other'.
 */
export const CHANNEL_CATEGORIES = [
  'email',
  'web',
  'api',
  'chat',
  'messaging',
  'voice',
  'sms',
  'social',
  'other',
] as const;
export const channelCategorySchema = z.enum(CHANNEL_CATEGORIES);
export type ChannelCategory = z.infer<typeof channelCategorySchema>;

/** Ticket fields a vendor payload may be unable to carry (then null there means unknown). */
export const OPTIONAL_FIELDS = ['formId', 'brandId', 'channel'] as const;
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];

export const EVENT_KINDS = [
  'ticket.created',
  'ticket.updated',
  'ticket.agent_replied',
  'ticket.customer_replied',
] as const;
export const eventKindSchema = z.enum(EVENT_KINDS);
export type EventKind = z.infer<typeof eventKindSchema>;

/** An ISO 8601 date-time with seconds and a zone (Z or ±hh:mm). */
export const instant = z.iso.datetime({ offset: true });

export const reopenSchema = z.object({
  /** When the ticket was seen not solved again (the updatedAt of that body). */
  at: instant,
  /** When the solve it reopens began. */
  solvedAt: instant,
});
export type Reopen = z.infer<typeof reopenSchema>;

export const attributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type AttributeValue = z.infer<typeof attributeValueSchema>;

export const accountSchema = z.object({
  /** The vendor's organisation / company id. */
  id: z.string().min(1).nullable(),
  name: z.string().nullable(),
  /** Lower-case domain of the requester's (or organisation's) email, e.g. "acme.co.jp". */
  emailDomain: z.string().nullable(),
  /** Organisation attributes the vendor carries, e.g. {licenses: 80}. */
  attributes: z.record(z.string(), attributeValueSchema),
});
export type Account = z.infer<typeof accountSchema>;

export const pausedIntervalSchema = z.object({
  from: instant,
  /** null while the ticket is still in a pausing status. */
  to: instant.nullable(),
});
export type PausedInterval = z.infer<typeof pausedIntervalSchema>;

export const ticketSchema = z.object({
  id: z.string().min(1),
  subject: z.string(),
  status: z.object({ category: statusCategorySchema, detail: z.string().nullable() }),
  priority: z.object({ category: prioritySchema.nullable(), detail: z.string().nullable() }),
  tags: z.array(z.string()),
  requester: z.object({
    id: z.string().nullable(),
    email: z.string().nullable(),
    name: z.string().nullable(),
  }),
  account: accountSchema.nullable(),
  createdAt: instant,
  updatedAt: instant,
  firstAgentReplyAt: instant.nullable(),
  lastAgentReplyAt: instant.nullable().default(null),
  lastCustomerMessageAt: instant.nullable().default(null),
  solvedAt: instant.nullable().default(null),
  /** When the ticket was first solved, even if reopened since (kept by the worker). */
  firstSolvedAt: instant.nullable().default(null),
  /** Intervals spent in a status that pauses the SLA clock, oldest first (kept by the worker). */
  pausedIntervals: z.array(pausedIntervalSchema).default([]),
  /** The vendor's ticket form id, if any. */
  formId: z.string().min(1).nullable().default(null),
  /** The vendor's brand id, if any. */
  brandId: z.string().min(1).nullable().default(null),
  channel: z
    .object({ category: channelCategorySchema, detail: z.string().nullable() })
    .nullable()
    .default(null),
  /** Which of the optional fields this payload could not carry: the worker reads the ticket when a rule needs one. */
  unknownFields: z.array(z.enum(OPTIONAL_FIELDS)).default([]),
  /** Reopens after a solve, oldest first (kept by the worker). */
  reopens: z.array(reopenSchema).default([]),
  /** Due instants deskplan wrote earlier, read back from the vendor's fields. */
  customFields: z.record(z.string(), z.unknown()).default({}),
  vendorSpecific: z.record(z.string(), z.unknown()).default({}),
});
export type Ticket = z.infer<typeof ticketSchema>;

/**
 * The history fields of a ticket that a vendor payload does not carry: the worker fills them
 * from what it keeps. A connector spreads this into the tickets it builds.
 */
export const noTicketHistory = () =>
  ({
    firstAgentReplyAt: null,
    lastAgentReplyAt: null,
    lastCustomerMessageAt: null,
    solvedAt: null,
    firstSolvedAt: null,
    pausedIntervals: [],
    reopens: [],
  }) satisfies Partial<Ticket>;

export const replySchema = z.object({
  id: z.string().min(1),
  at: instant,
  public: z.boolean(),
});

export const ticketEventSchema = z.object({
  vendor: vendorSchema,
  tenantId: z.string().min(1),
  /** The vendor's id for this delivery or event: the idempotency key of the whole pipeline. */
  eventId: z.string().min(1),
  kind: eventKindSchema,
  occurredAt: instant,
  actor: z
    .object({
      kind: z.enum(['agent', 'customer', 'system', 'integration']),
      id: z.string().nullable(),
    })
    .nullable()
    .default(null),
  ticket: ticketSchema,
  /** The agent reply an `ticket.agent_replied` event is about. */
  reply: replySchema.nullable().default(null),
});
export type TicketEvent = z.infer<typeof ticketEventSchema>;
export type TicketEventInput = z.input<typeof ticketEventSchema>;
