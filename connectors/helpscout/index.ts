import type { Connector } from '../core/connector.js';
import { createHelpscoutClient } from './client.js';
import { helpscoutConnectionSchema, type HelpscoutConnection } from './connection-schema.js';
import { createHelpscoutSetup } from './setup.js';
import { parseHelpscoutWebhook } from './to-event.js';
import { verifyHelpscoutSignature } from './verify-signature.js';

export const helpscoutConnector: Connector<HelpscoutConnection> = {
  vendor: 'helpscout',
  connectionSchema: helpscoutConnectionSchema,
  verify: (request, connection) => verifyHelpscoutSignature(request, connection.webhookSecrets),
  parse: parseHelpscoutWebhook,
  createClient: createHelpscoutClient,
  createSetup: createHelpscoutSetup,
  // https://secure.helpscout.net/conversation/<id>/<number>/ also opens without the number.
  agentTicketUrl: (_connection, ticketId) =>
    `https://secure.helpscout.net/conversation/${encodeURIComponent(ticketId)}`,
};

export { signHelpscoutWebhook } from './verify-signature.js';
export { HELPSCOUT_EVENTS } from './to-event.js';
export type { HelpscoutConnection } from './connection-schema.js';
