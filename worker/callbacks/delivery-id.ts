import { createHash } from 'node:crypto';

/**
 * The delivery id of one reason sent to one subscriber: the same on every re-run of the event
 * that raised it, so a second enqueue finds the first. Shaped as a UUID (version 8: custom).
 */
export function deliveryIdOf(tenantId: string, subscriberId: string, eventKey: string): string {
  const hex = createHash('sha256')
    .update(`${tenantId}\n${subscriberId}\n${eventKey}`)
    .digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}

export const DELIVERY_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
