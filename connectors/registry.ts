import { freshdeskConnector } from './freshdesk/index.js';
import { helpscoutConnector } from './helpscout/index.js';
import { zendeskConnector } from './zendesk/index.js';
import type { Connector } from './core/connector.js';
import type { Vendor } from './core/ticket.js';

/** Every helpdesk deskplan speaks to. Adding one is a folder and a line here. */
export const connectors: Partial<Record<Vendor, Connector<unknown>>> = {
  zendesk: zendeskConnector as Connector<unknown>,
  freshdesk: freshdeskConnector as Connector<unknown>,
  helpscout: helpscoutConnector as Connector<unknown>,
};

export function connectorFor(vendor: string): Connector<unknown> | null {
  return (connectors as Record<string, Connector<unknown> | undefined>)[vendor] ?? null;
}
