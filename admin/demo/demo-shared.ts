// What the demo's vendor sections share: how a webhook is posted and waited for, and how times
// and notes are shown.
import type { Vendor } from '../../connectors/core/ticket.js';

/** The zone the demo shows times in (its tenants' zone). */
export const SHOWN_ZONE = 'Asia/Tokyo';

/** Waits until the job of a delivery has completed; throws when it failed. */
export type Settle = (vendor: Vendor, tenant: string, deliveryId: string) => Promise<'completed'>;

/** What a vendor section did, for the demo's last line. */
export interface VendorTally {
  vendor: string;
  webhooks: number;
  reads: number;
  writes: number;
}

/** A vendor section's tally from its fake helpdesk: reads are its GETs, writes its own count. */
export const vendorTally = (
  vendor: string,
  webhooks: number,
  fake: { requests: readonly { method: string }[]; writes: readonly unknown[] },
): VendorTally => ({
  vendor,
  webhooks,
  reads: fake.requests.filter((r) => r.method === 'GET').length,
  writes: fake.writes.length,
});

/** POSTs a webhook to the receiver; the delivery id it answers with (202), else throws. */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  if (response.status !== 202)
    throw new Error(`webhook refused: ${response.status} ${await response.text()}`);
  // The receiver names the job by the delivery id it derives from the signed body.
  return ((await response.json()) as { deliveryId: string }).deliveryId;
}

/** An instant as the demo shows it: "24 Nov, 10:08" in SHOWN_ZONE; '—' when there is none. */
export function shownTime(value: string | null | undefined): string {
  return value
    ? new Date(value).toLocaleString('en-GB', {
        timeZone: SHOWN_ZONE,
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      })
    : '—';
}

/** A note's text (plain, or the HTML a vendor keeps) indented under its label. */
export function shownNote(label: string, text: string): string {
  const plain = text
    .replace(/<br\s*\/?>\n?/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trimEnd();
  return `    ${label}: ${plain.replace(/\n/g, `\n${' '.repeat(label.length + 6)}`)}`;
}
