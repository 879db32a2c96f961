import { html, type SafeHtml } from './html.js';
import type { PageMessages } from './page-messages.js';

export interface LayoutOptions {
  title: string;
  m: PageMessages;
  body: SafeHtml;
  /** Who is signed in (shows the navigation and the sign-out button); none on public pages. */
  who?: string | null;
  /** Where the language links point, for pages that offer a switch. */
  languages?: { en: string; ja: string } | null;
  /** A page a customer sees: the header carries no navigation at all. */
  customer?: { heading: string } | null;
  /** Load this (local) URL again after so many seconds: a page showing work in progress. */
  refresh?: { seconds: number; url: string } | null;
}

const mark = html`<svg
  class="brand-mark"
  viewBox="0 0 24 24"
  width="24"
  height="24"
  aria-hidden="true"
>
  <rect x="1" y="1" width="22" height="22" rx="6" class="brand-mark-bg" />
  <rect x="6" y="13" width="3" height="5" rx="1" class="brand-mark-fg" />
  <rect x="10.5" y="9" width="3" height="9" rx="1" class="brand-mark-fg" />
  <rect x="15" y="6" width="3" height="12" rx="1" class="brand-mark-fg" />
</svg>`;

/** Every page's frame: the product header, the content, nothing inline (the CSP allows no inline style or script). */
export function layout(o: LayoutOptions): SafeHtml {
  const { m } = o;
  const nav = o.who
    ? html`<nav class="nav" aria-label="main">
          <a href="/">${m.overview}</a>
        </nav>
        <div class="header-end">
          ${o.languages ? languageSwitch(o.languages, m) : null}
          <span class="who">${o.who}</span>
          <form method="post" action="/logout" class="inline">
            <button type="submit" class="button button-quiet">${m.signOut}</button>
          </form>
        </div>`
    : html`<div class="header-end">${o.languages ? languageSwitch(o.languages, m) : null}</div>`;
  return html`<!doctype html>
    <html lang="${m.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        ${o.refresh ? html`<meta http-equiv="refresh" content="${o.refresh.seconds}; url=${o.refresh.url}" />` : null}
        <title>${o.title} · deskplan</title>
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/pages.css" />
      </head>
      <body>
        <header class="header">
          <div class="header-inner">
            <a class="brand" href="${o.customer ? '#top' : '/'}">${mark}<span>deskplan</span></a>
            ${o.customer ? html`<span class="brand-sub">${o.customer.heading}</span>` : nav}
          </div>
        </header>
        <main class="main" id="top">${o.body}</main>
        <footer class="footer">deskplan</footer>
      </body>
    </html>`;
}

function languageSwitch(links: { en: string; ja: string }, m: PageMessages): SafeHtml {
  return html`<div class="lang" role="group" aria-label="Language / 言語">
    <a href="${links.en}" ${m.lang === 'en' ? html`aria-current="true"` : null}>EN</a>
    <a href="${links.ja}" ${m.lang === 'ja' ? html`aria-current="true"` : null}>日本語</a>
  </div>`;
}
