import { html, type SafeHtml } from './html.js';
import { layout } from './page-layout.js';
import type { PageMessages } from './page-messages.js';

/** A 404 page: for a customer link (no navigation, no way in), or inside the app. */
export function notFoundView(
  m: PageMessages,
  o: { shareLink: boolean; who?: string | null },
): SafeHtml {
  const body = html`<section class="card empty-state">
    <h1>${m.notFoundTitle}</h1>
    <p class="muted">${o.shareLink ? m.linkGone : m.notFoundText}</p>
    ${o.shareLink ? null : html`<p><a class="button" href="/">${m.backHome}</a></p>`}
  </section>`;
  return layout({
    title: m.notFoundTitle,
    m,
    body,
    who: o.who ?? null,
    customer: o.shareLink ? { heading: m.customerTitle } : null,
  });
}
