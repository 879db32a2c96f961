import type { PageLocale } from '../pages/page-messages.js';

/** The words of the server-rendered helpdesk sidebar (the same as the Zendesk app's). */
export interface SidebarText {
  plan: string;
  contract: string;
  usage: string;
  used(used: number, allowance: number, unit: string): string;
  usedUnlimited(used: number, unit: string): string;
  remaining(n: number): string;
  tickets: string;
  responses: string;
  dues: string;
  firstResponse: string;
  nextResponse: string;
  resolution: string;
  noDues: string;
  in(t: string): string;
  overdue(t: string): string;
  dueAt(when: string): string;
  overage: string;
  within: string;
  exhausted: string;
  over(n: number): string;
  noContract: string;
  dashboard: string;
  unknown: string;
  draft: string;
}

const en: SidebarText = {
  plan: 'Plan',
  contract: 'Contract',
  usage: 'Usage this period',
  used: (used, allowance, unit) => `${used} of ${allowance} ${unit} used`,
  usedUnlimited: (used, unit) => `${used} ${unit} used (unlimited)`,
  remaining: (n) => `${n} remaining`,
  tickets: 'tickets',
  responses: 'responses',
  dues: 'SLA dues',
  firstResponse: 'First response',
  nextResponse: 'Next response',
  resolution: 'Resolution',
  noDues: 'No open SLA target',
  in: (t) => `in ${t}`,
  overdue: (t) => `overdue by ${t}`,
  dueAt: (when) => `due ${when}`,
  overage: 'Quota',
  within: 'Within allowance',
  exhausted: 'Allowance used up',
  over: (n) => `In overage (${n} over)`,
  noContract: 'No contract applies to this conversation',
  dashboard: 'Open in deskplan',
  unknown: 'deskplan has not handled this conversation yet.',
  draft: 'deskplan shows the plan and SLA dues once the conversation is sent.',
};

const ja: SidebarText = {
  plan: 'プラン',
  contract: '契約',
  usage: '今期の利用状況',
  used: (used, allowance, unit) => `${allowance} ${unit}中 ${used} 使用`,
  usedUnlimited: (used, unit) => `${used} ${unit}使用(無制限)`,
  remaining: (n) => `残り ${n}`,
  tickets: '件',
  responses: '回答',
  dues: 'SLA 期限',
  firstResponse: '初回応答',
  nextResponse: '次回応答',
  resolution: '解決',
  noDues: '未達の SLA 目標はありません',
  in: (t) => `あと ${t}`,
  overdue: (t) => `${t} 超過`,
  dueAt: (when) => `期限 ${when}`,
  overage: '利用枠',
  within: '枠内',
  exhausted: '枠を使い切りました',
  over: (n) => `超過中(${n} 超過)`,
  noContract: 'この会話に適用される契約はありません',
  dashboard: 'deskplan で開く',
  unknown: 'deskplan はこの会話をまだ処理していません。',
  draft: '会話が送信されると、プランと SLA 期限が表示されます。',
};

export const sidebarText = (locale: PageLocale): SidebarText => (locale === 'ja' ? ja : en);

/** Minutes as a short duration: '2d 3h', '1h 55m', '7m' (the sign is the caller's). */
export function shortDuration(minutes: number): string {
  const m = Math.abs(minutes);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m % 60}m`;
  return `${m % 60}m`;
}
