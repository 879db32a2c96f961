import type { Connector } from '../core/connector.js';
import { createFreshdeskClient } from './client.js';
import {
  agentBase,
  freshdeskConnectionSchema,
  type FreshdeskConnection,
} from './connection-schema.js';
import { createFreshdeskSetup } from './setup.js';
import { parseFreshdeskWebhook } from './to-event.js';
import { verifyFreshdeskSecret } from './verify-secret.js';

export const freshdeskConnector: Connector<FreshdeskConnection> = {
  vendor: 'freshdesk',
  connectionSchema: freshdeskConnectionSchema,
  verify: verifyFreshdeskSecret,
  parse: parseFreshdeskWebhook,
  createClient: createFreshdeskClient,
  createSetup: createFreshdeskSetup,
  agentTicketUrl: (connection, ticketId) =>
    `${agentBase(connection)}/a/tickets/${encodeURIComponent(ticketId)}`,
};

export { SECRET_HEADER } from './verify-secret.js';
export {
  FRESHDESK_AGENT_REPLY_BODY,
  FRESHDESK_CREATED_BODY,
  FRESHDESK_CUSTOMER_REPLY_BODY,
  FRESHDESK_UPDATED_BODY,
} from './webhook-template.js';
export type { FreshdeskConnection } from './connection-schema.js';
