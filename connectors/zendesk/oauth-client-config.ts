import { z } from 'zod';

/**
 * deskplan's global OAuth client for Zendesk (one for the deployment, not one per customer): a
 * public or marketplace integration must use one instead of customers' API tokens.
 * https://developer.zendesk.com/documentation/apps/publish-your-app-or-theme/global_oauth_intro
 */
export interface ZendeskOAuthClient {
  clientId: string;
  clientSecret: string;
  /** Where Zendesk sends the browser back: `${DESKPLAN_PUBLIC_URL}/oauth/zendesk/callback`. */
  redirectUri: string;
}

const ZENDESK_OAUTH_ENV = [
  'DESKPLAN_ZENDESK_CLIENT_ID',
  'DESKPLAN_ZENDESK_CLIENT_SECRET',
  'DESKPLAN_PUBLIC_URL',
] as const;

export const ZENDESK_OAUTH_CALLBACK_PATH = '/oauth/zendesk/callback';

const envSchema = z.object({
  DESKPLAN_ZENDESK_CLIENT_ID: z.string().trim().min(1, { error: 'is not set' }),
  DESKPLAN_ZENDESK_CLIENT_SECRET: z.string().min(1, { error: 'is not set' }),
  DESKPLAN_PUBLIC_URL: z
    .string({ error: 'is not set' })
    .min(1, { error: 'is not set' })
    .pipe(
      z.url({
        protocol: /^https?$/,
        error: 'must be an http(s) URL such as https://deskplan.example',
      }),
    ),
});

export type ZendeskOAuthClientResult =
  | { ok: true; client: ZendeskOAuthClient }
  /** One line per variable: `DESKPLAN_ZENDESK_CLIENT_ID is not set`. */
  | { ok: false; problems: string[] };

/** The global OAuth client from the environment, or what is missing or wrong there. */
export function zendeskOAuthClientFrom(
  env: NodeJS.ProcessEnv = process.env,
): ZendeskOAuthClientResult {
  const picked = Object.fromEntries(
    ZENDESK_OAUTH_ENV.map((name) => [name, env[name] === undefined ? '' : env[name]]),
  );
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`);
    return { ok: false, problems: [...new Set(problems)] };
  }
  const e = parsed.data;
  return {
    ok: true,
    client: {
      clientId: e.DESKPLAN_ZENDESK_CLIENT_ID.trim(),
      clientSecret: e.DESKPLAN_ZENDESK_CLIENT_SECRET,
      redirectUri: `${e.DESKPLAN_PUBLIC_URL.replace(/\/+$/, '')}${ZENDESK_OAUTH_CALLBACK_PATH}`,
    },
  };
}

/**
 * Only the client's identifier and secret (what refreshing a token needs; the worker has no
 * redirect URI to give); null when either is not set.
 */
export function zendeskOAuthCredentialsFrom(
  env: NodeJS.ProcessEnv = process.env,
): { clientId: string; clientSecret: string } | null {
  const clientId = env.DESKPLAN_ZENDESK_CLIENT_ID?.trim();
  const clientSecret = env.DESKPLAN_ZENDESK_CLIENT_SECRET;
  return clientId && clientSecret ? { clientId, clientSecret } : null;
}
