import type { HttpClientOptions } from '../../connectors/core/http-client.js';
import type { OAuthStates } from './oauth-states.js';

/** What the Zendesk OAuth routes (start, callback) work with. */
export interface ZendeskOAuthDeps {
  states: OAuthStates;
  /** Where DESKPLAN_ZENDESK_CLIENT_ID, _CLIENT_SECRET and DESKPLAN_PUBLIC_URL are read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where a subdomain's OAuth endpoints are; default https://{subdomain}.zendesk.com (tests: a fake). */
  originOf?: (subdomain: string) => string;
  /** For the token request (timeout, metrics). */
  http?: HttpClientOptions;
  now?: () => number;
}
