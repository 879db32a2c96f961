import { z } from 'zod';

/** Reopened tickets of a ticket limit: within `window` days of the solve, the same ticket. */
export const reopenSchema = z
  .object({
    /** Days after a solve within which a reopen is the same ticket. */
    window: z.number().positive().default(3),
    /** After the window: the same count (nothing more), or a new count of the ticket. */
    after: z.enum(['same-count', 'new-count']).default('same-count'),
  })
  .strict();
export type ReopenConfig = z.infer<typeof reopenSchema>;
