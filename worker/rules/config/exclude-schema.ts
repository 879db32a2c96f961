import { z } from 'zod';

const lowerCase = z
  .string()
  .min(1)
  .transform((s) => s.toLowerCase());

/**
 * Tickets a plan (or one contract) does not count: any ticket with one of these tags, forms,
 * brands, channels or requester email domains. A contract's list adds to its plan's.
 */
export const excludeSchema = z
  .object({
    /** Ticket tags, e.g. [internal, test]. */
    tags: z.array(lowerCase).optional(),
    /** Ticket form ids. */
    forms: z.array(z.coerce.string().min(1)).optional(),
    /** Brand ids. */
    brands: z.array(z.coerce.string().min(1)).optional(),
    /** Channels: a category (email, web, api, chat, messaging, voice, sms, social, other) or the helpdesk's raw name, e.g. native_messaging. */
    channels: z.array(lowerCase).optional(),
    /** Requester email domains; a subdomain matches too (example.com matches mail.example.com). */
    requesterDomains: z
      .array(
        z
          .string()
          .min(1)
          .transform((d) => d.toLowerCase().replace(/^@/, '')),
      )
      .optional(),
  })
  .strict();
export type ExcludeConfig = z.infer<typeof excludeSchema>;
