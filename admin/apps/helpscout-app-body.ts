import { z } from 'zod';
import { WebhookError } from '../../connectors/core/errors.js';
import { zodIssues } from '../../connectors/core/map-values.js';

// What Help Scout posts to a Dynamic App when an agent opens a conversation: ticket {id, number,
// subject} (as in Get Conversation), customer, user and mailbox. A field without a value is left
// out, and a draft conversation sends `ticket: false`.
// https://developer.helpscout.com/apps/legacy-custom-apps/dynamic/

const conversationId = z.union([
  z.number().int().positive(),
  z.string().regex(/^[1-9]\d{0,19}$/, { error: 'expected a conversation id (digits)' }),
]);

const bodySchema = z.looseObject({
  ticket: z
    .union([
      z.literal(false),
      z.looseObject({
        id: conversationId,
        number: z.union([z.number(), z.string()]).optional(),
        subject: z.string().optional(),
      }),
    ])
    .optional(),
  customer: z.looseObject({}).optional(),
  user: z.looseObject({}).optional(),
  mailbox: z.looseObject({}).optional(),
});

/** The conversation id the sidebar is for; null for a draft (or a body naming none). */
export function conversationIdOf(rawBody: Buffer): string | null {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookError(400, 'the body is not JSON');
  }
  const parsed = bodySchema.safeParse(json);
  if (!parsed.success) {
    throw new WebhookError(400, 'not a Help Scout app request', zodIssues(parsed.error));
  }
  const ticket = parsed.data.ticket;
  return ticket ? String(ticket.id) : null;
}
