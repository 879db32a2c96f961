import type { Connector } from '../core/connector.js';
import { createZendeskClient } from './client.js';
import { agentBase, zendeskConnectionSchema, type ZendeskConnection } from './connection-schema.js';
import { createZendeskSetup } from './setup.js';
import { parseZendeskWebhook } from './to-event.js';
import { verifyZendeskSignature } from './verify-signature.js';

export const zendeskConnector: Connector<ZendeskConnection> = {
  vendor: 'zendesk',
  connectionSchema: zendeskConnectionSchema,
  verify: (request, connection) => verifyZendeskSignature(request, connection.webhookSecrets),
  parse: parseZendeskWebhook,
  createClient: createZendeskClient,
  createSetup: createZendeskSetup,
  agentTicketUrl: (connection, ticketId) =>
    `${agentBase(connection)}/agent/tickets/${encodeURIComponent(ticketId)}`,
};

export { signZendeskWebhook } from './verify-signature.js';
export {
  ZENDESK_AGENT_REPLY_TRIGGER_BODY,
  ZENDESK_CUSTOMER_REPLY_TRIGGER_BODY,
  ZENDESK_TRIGGER_BODY,
} from './trigger-template.js';
export type { ZendeskConnection } from './connection-schema.js';
