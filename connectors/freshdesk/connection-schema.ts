import { z } from 'zod';

/** The due instants Freshdesk can hold natively: fr_due_by and due_by. */
const FRESHDESK_DUE_METRICS = ['firstResponse', 'resolution'] as const;

/** A tenant's connection to its Freshdesk account. */
export const freshdeskConnectionSchema = z
  .object({
    vendor: z.literal('freshdesk'),
    /** acme for https://acme.freshdesk.com (the API does not answer on custom CNAMEs). */
    domain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'expected a Freshdesk domain such as acme' })
      .optional(),
    /** Instead of a domain: a full base URL (a local fake Freshdesk, a proxy). */
    baseUrl: z.url().optional(),
    /** An agent's API key; Freshdesk takes it as the basic-auth user with the password X. */
    apiKey: z.string().min(1),
    /**
     * The shared secret(s) the automation rule's webhook action sends, either in the
     * X-Deskplan-Secret header or as the basic-auth password; a second one while rotating.
     */
    webhookSecrets: z.array(z.string().min(16)).min(1).max(2),
    /** The basic-auth user name the webhook action sends, when it uses basic auth. */
    webhookUsername: z.string().min(1).default('deskplan'),
    /** Which of Freshdesk's own due dates deskplan writes (fr_due_by, due_by); [] for none. */
    writeDues: z.array(z.enum(FRESHDESK_DUE_METRICS)).default([...FRESHDESK_DUE_METRICS]),
    /** Company custom_fields copied into the account's attributes (e.g. licenses). */
    accountAttributes: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.domain === undefined) === (c.baseUrl === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of domain or baseUrl' });
    }
  });
export type FreshdeskConnection = z.infer<typeof freshdeskConnectionSchema>;

/** The agent interface's base: https://<domain>.freshdesk.com (or the configured base URL). */
export function agentBase(connection: FreshdeskConnection): string {
  return connection.baseUrl
    ? connection.baseUrl.replace(/\/$/, '')
    : `https://${connection.domain}.freshdesk.com`;
}

export const apiBase = (connection: FreshdeskConnection) => `${agentBase(connection)}/api/v2`;
