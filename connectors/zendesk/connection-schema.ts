import { z } from 'zod';
import { dueFieldIdsSchema } from '../core/due-field-ids.js';

/** A tenant's connection to its Zendesk account. */
export const zendeskConnectionSchema = z
  .object({
    vendor: z.literal('zendesk'),
    /** acme for https://acme.zendesk.com */
    subdomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a Zendesk subdomain such as acme' })
      .optional(),
    /** Instead of a subdomain: a full base URL (a local fake Zendesk, a proxy). */
    baseUrl: z.url().optional(),
    /**
     * An admin's API token (private installs), or an OAuth token. Absent only while a tenant
     * waits for its admin to approve deskplan through OAuth (a public app install): until then
     * every call to Zendesk is refused, and doctor says so.
     */
    auth: z
      .union([
        z.object({ email: z.email(), apiToken: z.string().min(1) }).strict(),
        z
          .object({
            /** An OAuth access token, sent as `Authorization: Bearer`. */
            oauthToken: z.string().min(1),
            /**
             * Tokens from the authorization code grant (deskplan's OAuth flow, global OAuth client)
             * come with a refresh token; the access token is renewed with it before `expiresAt`.
             * https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
             */
            refreshToken: z.string().min(1).optional(),
            /** When the access token expires (ISO instant); absent: it does not expire. */
            expiresAt: z.iso.datetime({ offset: true }).optional(),
          })
          .strict(),
      ])
      .optional(),
    /**
     * The webhook's signing secret; a second one is accepted while rotating. Empty until
     * `deskplan connect` reads it from Zendesk (every delivery is refused until then).
     */
    webhookSecrets: z.array(z.string().min(1)).max(2).default([]),
    /** Ids of the custom ticket fields (text) that hold the due instants. */
    dueFields: dueFieldIdsSchema,
    /** organization_fields copied into the account's attributes (e.g. licenses). */
    accountAttributes: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.subdomain === undefined) === (c.baseUrl === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of subdomain or baseUrl' });
    }
  });
export type ZendeskConnection = z.infer<typeof zendeskConnectionSchema>;

export function apiBase(connection: ZendeskConnection): string {
  return connection.baseUrl
    ? `${connection.baseUrl.replace(/\/$/, '')}/api/v2`
    : `https://${connection.subdomain}.zendesk.com/api/v2`;
}

/** The agent interface's base: https://<subdomain>.zendesk.com (or the configured base URL). */
export function agentBase(connection: ZendeskConnection): string {
  return connection.baseUrl
    ? connection.baseUrl.replace(/\/$/, '')
    : `https://${connection.subdomain}.zendesk.com`;
}
