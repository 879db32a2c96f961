import type { PeriodUnit } from '../../worker/rules/quota/period-of.js';
import { formatUnits } from './page-format.js';
import { jaPer } from '../../worker/rules/decision/note-messages.js';

export type PageLocale = 'en' | 'ja';
type Unit = 'tickets' | 'responses';

/** The words of deskplan's pages, per locale (the notes' tone: plain, short, exact). */
export interface PageMessages {
  lang: string;
  signIn: string;
  signOut: string;
  overview: string;
  tokenLabel: string;
  tokenHelp: string;
  badToken: string;
  overviewTitle: string;
  tenants: string;
  contracts: string;
  tenant: string;
  contract: string;
  plan: string;
  period: string;
  usage: string;
  remaining: string;
  included: string;
  used: string;
  overage: string;
  flags: string;
  allTenants: string;
  sortBy: string;
  sortOptions: { tenant: string; usage: string; overage: string };
  apply: string;
  expiringSoon: string;
  upsellCandidates: string;
  overQuota: string;
  slaAtRisk: string;
  slaPending: string;
  slaWithinHour: string;
  expiresIn(days: number): string;
  upsell: string;
  starts(day: string): string;
  noContracts: string;
  noUsageYet: string;
  unlimited: string;
  usedOf(used: number, allowance: number | null, unit: Unit): string;
  units(n: number, unit: Unit): string;
  periodLabel(per: PeriodUnit, first: string, last: string | null): string;
  account: string;
  timeZone: string;
  configVersion(version: number, savedAt: string | null): string;
  history: string;
  historyNote: string;
  countedThisPeriod: string;
  ticket: string;
  reply: string;
  countedAt: string;
  weight: string;
  beyondAllowance: string;
  noneCounted: string;
  shareTitle: string;
  shareHelp: string;
  createLink: string;
  revoke: string;
  linkCreated: string;
  noLinks: string;
  createdOn(day: string): string;
  customerTitle: string;
  customerNote(zone: string): string;
  itemsCounted: string;
  date: string;
  notFoundTitle: string;
  notFoundText: string;
  linkGone: string;
  backHome: string;
  percentOfIncluded(percent: number): string;
  rolloverTopUps(rolledIn: number, topUps: number): string;
  legendUsed: string;
  legendIncluded: string;
  legendOverage: string;
  backfillTitle: string;
  backfillHelp: string;
  backfillStatus: Record<'running' | 'done' | 'failed' | 'stopped', string>;
  backfillNone: string;
  backfillStartedAt: string;
  backfillFinishedAt: string;
  backfillUpdatedAt: string;
  backfillPages: string;
  backfillSeen: string;
  backfillCounted: string;
  backfillSkipped: string;
  backfillRateLimited: string;
  backfillRepliesRead: string;
  backfillRepliesCounted: string;
  backfillRepliesBefore: string;
  backfillBefore(at: string): string;
  backfillRepliesNote: string;
  backfillRunning: string;
  backfillFailed: string;
  backfillStopped: string;
  backfillError: string;
  startBackfill: string;
  resumeBackfill: string;
  backfillBusy: string;
  backfillUnsupported: string;
  backfillAgencyOnly: string;
}

const enUnit = (unit: Unit, n: number) =>
  unit === 'tickets' ? (n === 1 ? 'ticket' : 'tickets') : n === 1 ? 'response' : 'responses';
const enPer: Record<PeriodUnit, string> = {
  week: 'Week',
  month: 'Month',
  quarter: 'Quarter',
  year: 'Year',
  term: 'Contract term',
};

const en: PageMessages = {
  lang: 'en',
  signIn: 'Sign in',
  signOut: 'Sign out',
  overview: 'Overview',
  tokenLabel: 'Access token',
  tokenHelp:
    'The agency’s admin token, or a token issued for one client helpdesk. It is checked once; the browser keeps only a session cookie.',
  badToken: 'That token is not valid. Check it and try again.',
  overviewTitle: 'Usage overview',
  tenants: 'Client helpdesks',
  contracts: 'Contracts',
  tenant: 'Client helpdesk',
  contract: 'Contract',
  plan: 'Plan',
  period: 'Period',
  usage: 'Usage',
  remaining: 'Remaining',
  included: 'Included',
  used: 'Used',
  overage: 'Overage',
  flags: 'Attention',
  allTenants: 'All client helpdesks',
  sortBy: 'Sort by',
  sortOptions: { tenant: 'Client helpdesk', usage: 'Usage (highest first)', overage: 'Overage' },
  apply: 'Apply',
  expiringSoon: 'Expiring within 30 days',
  upsellCandidates: 'Upsell candidates',
  overQuota: 'Over quota',
  slaAtRisk: 'SLA at risk / breached',
  slaPending: 'Not tracked yet',
  slaWithinHour: 'Open tickets due within the hour / past due',
  expiresIn: (days) =>
    days === 0 ? 'Ends today' : `Ends in ${days} ${days === 1 ? 'day' : 'days'}`,
  upsell: 'Upsell: used up early',
  starts: (day) => `Starts ${day}`,
  noContracts: 'No contracts in force.',
  noUsageYet: 'Nothing counted yet this period.',
  unlimited: 'Unlimited',
  usedOf: (used, allowance, unit) =>
    allowance === null
      ? `${formatUnits(used)} ${enUnit(unit, used)} (unlimited)`
      : `${formatUnits(used)} of ${formatUnits(allowance)} ${enUnit(unit, allowance)}`,
  units: (n, unit) => `${formatUnits(n)} ${enUnit(unit, n)}`,
  periodLabel: (per, first, last) =>
    last === null ? `${enPer[per]}: from ${first}` : `${enPer[per]}: ${first} – ${last}`,
  account: 'Account',
  timeZone: 'Time zone',
  configVersion: (v, at) => (at ? `Config version ${v}, saved ${at}` : `Config version ${v}`),
  history: 'Usage over the last periods',
  historyNote: 'Bars show units used; the line marks what each period included.',
  countedThisPeriod: 'Counted this period',
  ticket: 'Ticket',
  reply: 'Reply',
  countedAt: 'Counted at',
  weight: 'Units',
  beyondAllowance: 'Beyond the allowance',
  noneCounted: 'Nothing has been counted in this period yet.',
  shareTitle: 'Customer link',
  shareHelp:
    'A read-only page of this contract’s usage for your client: no login, nothing internal. Revoke it at any time.',
  createLink: 'Create link',
  revoke: 'Revoke',
  linkCreated: 'Link created. Copy it now: for safety it is shown only once.',
  noLinks: 'No active links.',
  createdOn: (day) => `Created ${day}`,
  customerTitle: 'Support usage',
  customerNote: (zone) => `Figures are live. Dates and times are in ${zone}.`,
  itemsCounted: 'Counted this period',
  date: 'Date',
  notFoundTitle: 'Page not found',
  notFoundText: 'There is nothing at this address.',
  linkGone:
    'This link does not exist or has been revoked. Ask your support provider for a new one.',
  backHome: 'Back to the overview',
  percentOfIncluded: (p) => `${Math.round(p)}% used`,
  rolloverTopUps: (r, t) =>
    [r > 0 ? `${formatUnits(r)} rolled over` : '', t > 0 ? `${formatUnits(t)} from top-ups` : '']
      .filter(Boolean)
      .join(', ') + ' included',
  legendUsed: 'Used',
  legendIncluded: 'Included',
  legendOverage: 'Overage',
  backfillTitle: 'Backfill',
  backfillHelp:
    'Counts the tickets and agent replies already filed in the current periods, so a helpdesk connected mid-period does not start at zero. Nothing is written to the helpdesk, and nothing is counted twice.',
  backfillStatus: { running: 'Running', done: 'Done', failed: 'Failed', stopped: 'Stopped' },
  backfillNone: 'No backfill has run for this helpdesk yet.',
  backfillStartedAt: 'Started',
  backfillFinishedAt: 'Finished',
  backfillUpdatedAt: 'Last progress',
  backfillPages: 'Pages read',
  backfillSeen: 'Tickets seen',
  backfillCounted: 'Tickets counted',
  backfillSkipped: 'Tickets skipped',
  backfillRateLimited: 'Waits after rate limits',
  backfillRepliesRead: 'Agent replies read',
  backfillRepliesCounted: 'Agent replies counted',
  backfillRepliesBefore: 'Replies counted if made before',
  backfillBefore: (at) => at,
  backfillRepliesNote: 'Replies made from then on are counted live, as they arrive.',
  backfillRunning: 'Running: this page refreshes every few seconds until it is done.',
  backfillFailed:
    'It stopped on an error. Running it again resumes from the last page it finished.',
  backfillStopped:
    'It stopped before its end (the process running it ended). Running it again resumes from the last page it finished.',
  backfillError: 'Error',
  startBackfill: 'Start backfill',
  resumeBackfill: 'Resume',
  backfillBusy: 'A backfill of this helpdesk is being started elsewhere. Try again in a moment.',
  backfillUnsupported: 'This helpdesk cannot list its tickets, so it cannot be backfilled.',
  backfillAgencyOnly: 'Only the agency can start a backfill.',
};

const jaUnit = (unit: Unit) => (unit === 'tickets' ? 'チケット' : '応答');

const ja: PageMessages = {
  lang: 'ja',
  signIn: 'ログイン',
  signOut: 'ログアウト',
  overview: '概要',
  tokenLabel: 'アクセストークン',
  tokenHelp:
    '代理店の管理トークン、またはクライアントのヘルプデスク用に発行したトークンを入力してください。ブラウザにはセッション Cookie だけが保存されます。',
  badToken: 'トークンが正しくありません。確認してもう一度お試しください。',
  overviewTitle: '利用状況の概要',
  tenants: 'ヘルプデスク',
  contracts: '契約',
  tenant: 'ヘルプデスク',
  contract: '契約',
  plan: 'プラン',
  period: '期間',
  usage: '使用量',
  remaining: '残り',
  included: '契約枠',
  used: '使用',
  overage: '超過',
  flags: '要確認',
  allTenants: 'すべてのヘルプデスク',
  sortBy: '並べ替え',
  sortOptions: { tenant: 'ヘルプデスク', usage: '使用率（高い順）', overage: '超過' },
  apply: '適用',
  expiringSoon: '30 日以内に終了する契約',
  upsellCandidates: 'アップセル候補',
  overQuota: 'クォータ超過',
  slaAtRisk: 'SLA 期限間近・超過',
  slaPending: '未集計',
  slaWithinHour: '1時間以内に期限 / 期限超過の未解決チケット',
  expiresIn: (days) => (days === 0 ? '本日終了' : `あと ${days} 日で終了`),
  upsell: 'アップセル候補: 早期に使い切り',
  starts: (day) => `${day} 開始`,
  noContracts: '有効な契約はありません。',
  noUsageYet: '今期はまだカウントがありません。',
  unlimited: '無制限',
  usedOf: (used, allowance, unit) =>
    allowance === null
      ? `${jaUnit(unit)} ${formatUnits(used)} 件（無制限）`
      : `${jaUnit(unit)} ${formatUnits(used)}/${formatUnits(allowance)} 件`,
  units: (n) => `${formatUnits(n)} 件`,
  periodLabel: (per, first, last) =>
    last === null ? `${jaPer[per]}: ${first} から` : `${jaPer[per]}: ${first} ～ ${last}`,
  account: 'アカウント',
  timeZone: 'タイムゾーン',
  configVersion: (v, at) => (at ? `設定バージョン ${v}（${at} 保存）` : `設定バージョン ${v}`),
  history: '直近の期間の利用推移',
  historyNote: '棒は使用量、線は各期間の契約枠を示します。',
  countedThisPeriod: '今期のカウント対象',
  ticket: 'チケット',
  reply: '応答',
  countedAt: 'カウント日時',
  weight: 'ユニット',
  beyondAllowance: '枠外',
  noneCounted: 'この期間のカウントはまだありません。',
  shareTitle: '顧客向けリンク',
  shareHelp:
    'この契約の利用状況を顧客と共有する閲覧専用ページです。ログイン不要で、内部情報は表示しません。いつでも無効化できます。',
  createLink: 'リンクを作成',
  revoke: '無効化',
  linkCreated: 'リンクを作成しました。安全のため一度しか表示されないので、今コピーしてください。',
  noLinks: '有効なリンクはありません。',
  createdOn: (day) => `${day} 作成`,
  customerTitle: 'サポート利用状況',
  customerNote: (zone) => `数値は最新です。日時は ${zone} の時刻で表示しています。`,
  itemsCounted: '今期のカウント対象',
  date: '日時',
  notFoundTitle: 'ページが見つかりません',
  notFoundText: 'このアドレスには何もありません。',
  linkGone:
    'このリンクは存在しないか、無効化されています。サポート担当者に新しいリンクをご依頼ください。',
  backHome: '概要に戻る',
  percentOfIncluded: (p) => `${Math.round(p)}% 使用`,
  rolloverTopUps: (r, t) =>
    `うち${[r > 0 ? `繰越 ${formatUnits(r)} 件` : '', t > 0 ? `追加購入 ${formatUnits(t)} 件` : '']
      .filter(Boolean)
      .join('、')}`,
  legendUsed: '使用',
  legendIncluded: '契約枠',
  legendOverage: '超過',
  backfillTitle: '過去分の集計',
  backfillHelp:
    '期間の途中で接続したヘルプデスクが 0 から始まらないよう、現在の期間にすでにあるチケットとエージェントの返信をカウントします。ヘルプデスクには何も書き込まず、二重にカウントすることもありません。',
  backfillStatus: { running: '実行中', done: '完了', failed: '失敗', stopped: '中断' },
  backfillNone: 'このヘルプデスクの過去分はまだ集計していません。',
  backfillStartedAt: '開始',
  backfillFinishedAt: '終了',
  backfillUpdatedAt: '最終更新',
  backfillPages: '読み込んだページ',
  backfillSeen: '確認したチケット',
  backfillCounted: 'カウントしたチケット',
  backfillSkipped: '対象外のチケット',
  backfillRateLimited: 'レート制限による待機',
  backfillRepliesRead: '読み込んだ返信',
  backfillRepliesCounted: 'カウントした返信',
  backfillRepliesBefore: '集計対象の返信',
  backfillBefore: (at) => `${at} より前`,
  backfillRepliesNote: 'それ以降の返信は、届いた時点でリアルタイムにカウントされます。',
  backfillRunning: '実行中です。完了するまで、このページは数秒ごとに更新されます。',
  backfillFailed: 'エラーで停止しました。もう一度実行すると、最後に完了したページから再開します。',
  backfillStopped:
    '完了前に停止しました（実行していたプロセスが終了しました）。もう一度実行すると、最後に完了したページから再開します。',
  backfillError: 'エラー',
  startBackfill: '集計を開始',
  resumeBackfill: '再開',
  backfillBusy:
    '別の場所でこのヘルプデスクの集計を開始しています。少し待ってからもう一度お試しください。',
  backfillUnsupported:
    'このヘルプデスクはチケットの一覧を取得できないため、過去分を集計できません。',
  backfillAgencyOnly: '過去分の集計を開始できるのは代理店のみです。',
};

export const pageMessages = (locale: PageLocale): PageMessages => (locale === 'ja' ? ja : en);
