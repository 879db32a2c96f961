import { html, type SafeHtml } from '../pages/html.js';
import { layout } from '../pages/page-layout.js';
import { pageMessages, type PageLocale } from '../pages/page-messages.js';

/** How a Zendesk OAuth callback ended, as the browser is told. */
export type OAuthOutcome =
  | 'connected'
  | 'refused'
  | 'expired'
  | 'missing'
  | 'exchange-failed'
  | 'tenant-gone'
  | 'unavailable';

const TEXT: Record<PageLocale, Record<OAuthOutcome, { title: string; text: string }>> = {
  en: {
    connected: {
      title: 'Zendesk is connected',
      text: 'deskplan can now read and update tickets of this Zendesk account. You can close this page.',
    },
    refused: {
      title: 'Access was not granted',
      text: 'Zendesk says access was refused, so nothing was connected. Ask your deskplan contact for a new link to try again.',
    },
    expired: {
      title: 'This link has expired',
      text: 'The authorization link was already used or is older than 10 minutes. Ask your deskplan contact for a new link.',
    },
    missing: {
      title: 'Incomplete answer from Zendesk',
      text: 'The page was opened without what Zendesk sends back after an authorization. Start again from a new link.',
    },
    'exchange-failed': {
      title: 'Zendesk did not complete the connection',
      text: 'Zendesk did not accept the authorization, so nothing was connected. Ask your deskplan contact for a new link to try again.',
    },
    'tenant-gone': {
      title: 'This helpdesk is no longer set up',
      text: 'The deskplan tenant this link was made for no longer exists. Nothing was connected.',
    },
    unavailable: {
      title: 'deskplan cannot finish this now',
      text: 'Nothing was connected. Please try again in a few minutes with a new link.',
    },
  },
  ja: {
    connected: {
      title: 'Zendesk と接続しました',
      text: 'deskplan はこの Zendesk アカウントのチケットを読み取り・更新できるようになりました。このページは閉じてかまいません。',
    },
    refused: {
      title: 'アクセスは許可されませんでした',
      text: 'Zendesk でアクセスが拒否されたため、接続していません。もう一度試すには、deskplan の担当者に新しいリンクを依頼してください。',
    },
    expired: {
      title: 'このリンクは期限切れです',
      text: '認可リンクは使用済みか、発行から 10 分を過ぎています。deskplan の担当者に新しいリンクを依頼してください。',
    },
    missing: {
      title: 'Zendesk からの応答が不完全です',
      text: 'Zendesk が認可後に返す情報がないままページが開かれました。新しいリンクからやり直してください。',
    },
    'exchange-failed': {
      title: 'Zendesk が接続を完了しませんでした',
      text: 'Zendesk が認可を受け付けなかったため、接続していません。deskplan の担当者に新しいリンクを依頼してください。',
    },
    'tenant-gone': {
      title: 'このヘルプデスクは設定されていません',
      text: 'このリンクの対象だった deskplan のテナントは存在しません。接続していません。',
    },
    unavailable: {
      title: '現在この処理を完了できません',
      text: '接続していません。数分後に新しいリンクでもう一度お試しください。',
    },
  },
};

/** The page the browser lands on after Zendesk's authorization screen: what happened, no details. */
export function oauthResultView(outcome: OAuthOutcome, locale: PageLocale): SafeHtml {
  const m = pageMessages(locale);
  const { title, text } = TEXT[locale][outcome];
  const ok = outcome === 'connected';
  const body = html`<section class="card empty-state" data-outcome="${outcome}">
    <h1>${title}</h1>
    <p class="${ok ? '' : 'muted'}">${text}</p>
  </section>`;
  return layout({ title, m, body, who: null, customer: { heading: 'Zendesk' } });
}
