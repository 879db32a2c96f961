import axios from 'axios';
import { callbackHeaders } from './sign-callback.js';
import type { DeliveryAttempt } from './delivery-history.js';

const CALLBACK_TIMEOUT_MS = 10_000;

/** How an attempt ended: 2xx delivered, 410 stop for good, anything else try again later. */
export type AttemptOutcome = 'delivered' | 'gone' | 'retry';

const outcomeOf = (status: number | null): AttemptOutcome =>
  status !== null && status >= 200 && status < 300
    ? 'delivered'
    : status === 410
      ? 'gone'
      : 'retry';

/**
 * One signed POST of a delivery's body. Never throws: the answer's status, or the error (a
 * timeout, a refused connection) without anything of the request in it.
 */
export async function sendCallback(
  target: { url: string; secret: string },
  delivery: { deliveryId: string; event: string; body: string },
  options: { timeoutMs?: number; now?: () => number } = {},
): Promise<{ attempt: DeliveryAttempt; outcome: AttemptOutcome }> {
  const now = options.now ?? Date.now;
  const started = now();
  let status: number | null = null;
  let error: string | null = null;
  try {
    const res = await axios.post(target.url, delivery.body, {
      headers: callbackHeaders({ ...delivery, secret: target.secret }, started),
      timeout: options.timeoutMs ?? CALLBACK_TIMEOUT_MS,
      maxRedirects: 0,
      responseType: 'text',
      transformRequest: [(data: unknown) => data],
      validateStatus: () => true,
      maxContentLength: 64 * 1024,
    });
    status = res.status;
    if (outcomeOf(status) !== 'delivered') error = `answered ${status}`;
  } catch (caught) {
    const e = caught as { code?: string; message?: string };
    error =
      e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT'
        ? `no answer within ${options.timeoutMs ?? CALLBACK_TIMEOUT_MS} ms`
        : `${e.code ?? 'error'}: ${String(e.message ?? caught).slice(0, 200)}`;
  }
  return {
    attempt: {
      at: new Date(started).toISOString(),
      url: target.url,
      status,
      error,
      durationMs: now() - started,
    },
    outcome: outcomeOf(status),
  };
}
