import { createHmac } from 'node:crypto';

/**
 * The `deskplan-signature` header of a delivery: `v1=` and the hex HMAC-SHA256, keyed with the
 * subscriber's secret, of `<timestamp>.<raw body>` (the timestamp in Unix seconds, as sent in
 * `deskplan-timestamp`). Signing the timestamp lets a receiver refuse old replays.
 */
export function signCallback(body: string, secret: string, timestamp: number): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `v1=${digest}`;
}

/** The headers of one POST of a delivery. */
export function callbackHeaders(
  input: { deliveryId: string; event: string; body: string; secret: string },
  nowMs: number,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'content-type': 'application/json',
    'user-agent': 'deskplan-callbacks/1',
    'deskplan-delivery-id': input.deliveryId,
    'deskplan-event': input.event,
    'deskplan-timestamp': String(timestamp),
    'deskplan-signature': signCallback(input.body, input.secret, timestamp),
  };
}
