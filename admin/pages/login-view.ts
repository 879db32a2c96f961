import { html, type SafeHtml } from './html.js';
import { layout } from './page-layout.js';
import type { PageMessages } from './page-messages.js';

export function loginView(
  m: PageMessages,
  o: { next: string; error: boolean; languages: { en: string; ja: string } },
): SafeHtml {
  const body = html`<section class="login card">
    <h1>${m.signIn}</h1>
    <p class="muted">${m.tokenHelp}</p>
    ${o.error ? html`<p class="alert alert-error" role="alert">${m.badToken}</p>` : null}
    <form method="post" action="/login" class="form">
      <input type="hidden" name="next" value="${o.next}" />
      <label for="token">${m.tokenLabel}</label>
      <input
        id="token"
        name="token"
        type="password"
        autocomplete="current-password"
        required
        autofocus
        spellcheck="false"
      />
      <button type="submit" class="button">${m.signIn}</button>
    </form>
  </section>`;
  return layout({ title: m.signIn, m, body, languages: o.languages });
}
