import { z } from 'zod';
import { dueFieldIdsSchema } from '../core/due-field-ids.js';

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** A tenant's connection to its Help Scout account (Mailbox API 2.0). */
export const helpscoutConnectionSchema = z
  .object({
    vendor: z.literal('helpscout'),
    /** The API origin; https://api.helpscout.net unless a local fake or a proxy stands in. */
    baseUrl: z.url().default('https://api.helpscout.net'),
    /** The OAuth2 app (Your Profile > My Apps) used with the client-credentials grant. */
    auth: z.object({ appId: z.string().min(1), appSecret: z.string().min(1) }).strict(),
    /** The webhook's secret (Help Scout allows at most 40 characters); a second while rotating. */
    webhookSecrets: z.array(z.string().min(1).max(40)).min(1).max(2),
    /**
     * The secret key of the sidebar's Dynamic App (Manage > Apps > Custom App; at most 40
     * characters); a second while rotating. Without it the app endpoint answers 404.
     * https://developer.helpscout.com/apps/legacy-custom-apps/dynamic/
     */
    appSecrets: z.array(z.string().min(1).max(40)).min(1).max(2).optional(),
    /** Ids of the conversation custom fields (type Date) that hold the due dates. */
    dueFields: dueFieldIdsSchema,
    /** The zone whose calendar date goes into the date-only due fields (IANA name). */
    timeZone: z
      .string()
      .refine(isTimeZone, { error: 'expected an IANA time zone such as Asia/Tokyo' })
      .default('UTC'),
    /**
     * Read the customer's organisation (its id and name become the account) before deciding.
     * Without it the account is only the customer's email domain, and webhooks need no read.
     */
    readOrganization: z.boolean().default(true),
    /**
     * Written by `deskplan connect`, not by hand: a keyed hash of the webhook secret last set in
     * Help Scout (which never returns a secret), so connect knows when webhookSecrets[0] changed
     * and must be sent again. See setup-plan.ts.
     */
    webhookSecretFingerprint: z.string().optional(),
  })
  .strict();
export type HelpscoutConnection = z.infer<typeof helpscoutConnectionSchema>;

export const apiBase = (connection: HelpscoutConnection) =>
  `${connection.baseUrl.replace(/\/$/, '')}/v2`;
