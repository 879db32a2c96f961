import { roundUnits } from '../quota/units.js';
import type { PeriodUnit } from '../quota/period-of.js';
import type { ExclusionKind } from './exclusions.js';

type Unit = 'tickets' | 'responses' | 'units';

/** The words of deskplan's internal notes, per locale. */
export interface NoteMessages {
  planTitle(plan: string, product: string | null): string;
  usage(used: number, max: number | null, unit: Unit, period: string): string;
  period(per: PeriodUnit, anniversary: boolean, lastDay: string | null): string;
  dues(parts: string[]): string;
  due(metric: 'firstResponse' | 'nextResponse' | 'resolution', when: string): string;
  paused: string;
  noTargets: string;
  noSla: string;
  overBill: string;
  overDeprioritize(priority: string): string;
  overSelfHelp(links: string): string;
  overHold: string;
  countPending(moment: 'on-first-agent-reply' | 'on-solve'): string;
  /** Not counted: matched the exclusion `kind: value`, e.g. "channel: voice". */
  excluded(kind: string, value: string): string;
  exclusionKind: Record<ExclusionKind, string>;
  /** Counted again: reopened `days` days after it was solved. */
  recounted(days: number): string;
  overApproved: string;
  upsell: string;
  alert(threshold: number, used: number, max: number, unit: Unit, period: string): string;
  overage(used: number, max: number, unit: Unit, period: string): string;
  waived: string;
  extra(rolledIn: number, topUps: number): string;
  topUpSuggested(threshold: number, used: number, max: number, unit: Unit, period: string): string;
  unwaived: string;
  weighed(weight: number, factors: string[]): string;
  weightFactor(by: 'priority' | 'channel' | 'outside-hours', value: string, weight: number): string;
  noContract(product: string | null): string;
  contractEnded(contract: string, lastDay: string): string;
  /** An expiry alert: the contract's last day, and how many days are left until it (0 = today). */
  contractEnding(contract: string, lastDay: string, daysLeft: number): string;
  priority: Record<string, string>;
}

const enUnit = (unit: Unit, n: number | null) =>
  unit === 'units'
    ? n === 1
      ? 'unit'
      : 'units'
    : unit === 'tickets'
      ? n === 1
        ? 'ticket'
        : 'tickets'
      : n === 1
        ? 'response'
        : 'responses';

const en: NoteMessages = {
  planTitle: (plan, product) =>
    `${/plan$/i.test(plan) ? plan : `${plan} plan`}${product ? ` (${product})` : ''}`,
  usage: (used, max, unit, period) =>
    max === null
      ? `${used} ${enUnit(unit, used)} used ${period} (unlimited)`
      : `${used} of ${max} ${enUnit(unit, max)} used ${period}, ${Math.max(0, roundUnits(max - used))} left`,
  period: (per, anniversary, lastDay) =>
    per === 'term'
      ? 'this contract term'
      : anniversary
        ? `in the current ${per}ly period (to ${lastDay})`
        : `this ${per}`,
  dues: (parts) => `${parts.join('; ')}.`,
  due: (metric, when) =>
    `${{ firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' }[metric]} due ${when}`,
  paused: 'the SLA clock is paused',
  noTargets: 'No SLA target applies at this priority.',
  noSla: 'No SLA applies to this ticket.',
  overBill: 'Past quota: served as billable overage.',
  overDeprioritize: (p) => `Past quota: served without SLA at ${p} priority.`,
  overSelfHelp: (links) => `Past quota: point the customer to self-help: ${links}.`,
  overHold:
    'Past quota: served without SLA, awaiting approval before it is billed (an agent approves with the tag deskplan_approved).',
  overApproved: 'Past quota: overage approved by an agent; billable.',
  countPending: (moment) =>
    moment === 'on-solve'
      ? 'Not counted yet: it counts when first solved.'
      : 'Not counted yet: it counts at the first public agent reply.',
  excluded: (kind, value) =>
    `Not counted against the quota: it matches an exclusion (${kind}: ${value}).`,
  exclusionKind: {
    tag: 'tag',
    form: 'form',
    brand: 'brand',
    channel: 'channel',
    requesterDomain: 'requester domain',
  },
  recounted: (days) =>
    `Counted again: reopened ${days} ${days === 1 ? 'day' : 'days'} after it was solved, so it is a new ticket for the quota.`,
  upsell: 'Account flagged for an upgrade offer.',
  alert: (t, used, max, unit, period) =>
    `Usage alert: ${t}% of the quota reached (${used} of ${max} ${enUnit(unit, max)} ${period}).`,
  overage: (used, max, unit, period) =>
    `Quota exceeded: ${used} of ${max} ${enUnit(unit, max)} ${period}.`,
  extra: (rolledIn, topUps) =>
    ` (allowance includes ${[rolledIn > 0 ? `${rolledIn} rolled over` : '', topUps > 0 ? `${topUps} from top-ups` : ''].filter(Boolean).join(' and ')})`,
  topUpSuggested: (t, used, max, unit, period) =>
    `Top-up suggested: ${t}% of the allowance used (${used} of ${max} ${enUnit(unit, max)} ${period}); offer the account a top-up.`,
  waived:
    'Waived by an agent (tag deskplan_waive): this ticket is not counted; removing the tag counts it again.',
  unwaived: 'The waive was removed: this ticket counts again, at the end of the current usage.',
  weighed: (weight, factors) =>
    `This ticket counts ${weight} ${weight === 1 ? 'unit' : 'units'} (${factors.join(', ')}).`,
  weightFactor: (by, value, weight) =>
    `${by === 'outside-hours' ? 'outside business hours' : by === 'priority' ? `${value} priority` : `${value} channel`} ×${weight}`,
  noContract: (product) =>
    `No support contract covers this account${product ? ` for ${product}` : ''}: no plan or SLA applied.`,
  contractEnded: (contract, lastDay) => `Contract ${contract} ended on ${lastDay}.`,
  contractEnding: (contract, lastDay, daysLeft) =>
    `Expiry alert: contract ${contract} ends on ${lastDay} (${
      daysLeft === 0
        ? 'today is its last day'
        : `${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left`
    }).`,
  priority: { low: 'low', normal: 'normal', high: 'high', urgent: 'urgent' },
};

const jaUnit = (unit: Unit) =>
  unit === 'units' ? 'ユニット' : unit === 'tickets' ? 'チケット' : '応答';
const jaCount = (unit: Unit) => (unit === 'units' ? '' : ' 件');
/** A period unit's name in Japanese (the notes and the admin pages say it alike). */
export const jaPer: Record<PeriodUnit, string> = {
  week: '週',
  month: '月',
  quarter: '四半期',
  year: '年',
  term: '契約期間',
};

const jaThis: Record<PeriodUnit, string> = {
  week: '今週',
  month: '今月',
  quarter: '今四半期',
  year: '今年',
  term: '契約期間中',
};

const jaPriority: Record<string, string> = {
  low: '低',
  normal: '普通',
  high: '高',
  urgent: '緊急',
};

const ja: NoteMessages = {
  planTitle: (plan, product) =>
    `${/プラン$|plan$/i.test(plan) ? plan : `${plan}プラン`}${product ? `（${product}）` : ''}`,
  usage: (used, max, unit, period) =>
    max === null
      ? `${period}の${jaUnit(unit)} ${used}${jaCount(unit)}使用（無制限）`
      : `${period}の${jaUnit(unit)} ${used}/${max}${jaCount(unit)}使用、残り ${Math.max(0, roundUnits(max - used))}${jaCount(unit)}`,
  period: (per, anniversary, lastDay) =>
    per === 'term'
      ? '契約期間中'
      : anniversary
        ? `現在の${jaPer[per]}次期間（${lastDay} まで）`
        : jaThis[per],
  dues: (parts) => `${parts.join('、')}。`,
  due: (metric, when) =>
    `${{ firstResponse: '初回応答期限', nextResponse: '次回応答期限', resolution: '解決期限' }[metric]} ${when}`,
  paused: 'SLA タイマー停止中',
  noTargets: 'この優先度には SLA 目標がありません。',
  noSla: 'このチケットには SLA が適用されません。',
  overBill: 'クォータ超過: 追加料金の対象として対応します。',
  overDeprioritize: (p) => `クォータ超過: SLA なし、優先度「${p}」で対応します。`,
  overSelfHelp: (links) => `クォータ超過: セルフヘルプをご案内ください: ${links}。`,
  overHold:
    'クォータ超過: SLA なしで対応し、請求前に承認待ちです(承認はタグ deskplan_approved で行います)。',
  overApproved: 'クォータ超過: 担当者が超過分を承認しました。請求対象です。',
  countPending: (moment) =>
    moment === 'on-solve'
      ? 'まだカウントしていません: 最初に解決した時点でカウントします。'
      : 'まだカウントしていません: 最初の公開の担当者返信でカウントします。',
  excluded: (kind, value) =>
    `クォータにカウントしません: 除外条件（${kind}: ${value}）に一致します。`,
  exclusionKind: {
    tag: 'タグ',
    form: 'フォーム',
    brand: 'ブランド',
    channel: 'チャネル',
    requesterDomain: '依頼者のドメイン',
  },
  recounted: (days) =>
    `再カウントしました: 解決から ${days} 日後に再オープンされたため、クォータ上は新しいチケットとして扱います。`,
  upsell: 'アップグレード提案の対象としてマークしました。',
  alert: (t, used, max, unit, period) =>
    `使用量アラート: ${period}の${jaUnit(unit)}枠の ${t}% に達しました（${used}/${max}${jaCount(unit)}）。`,
  overage: (used, max, unit, period) =>
    `クォータ超過: ${period}の${jaUnit(unit)} ${used}/${max}${jaCount(unit)}。`,
  extra: (rolledIn, topUps) =>
    `（${[rolledIn > 0 ? `繰越 ${rolledIn}` : '', topUps > 0 ? `追加購入分 ${topUps}` : ''].filter(Boolean).join('、')} を含む）`,
  topUpSuggested: (t, used, max, unit, period) =>
    `追加購入の提案: ${period}の${jaUnit(unit)}枠の ${t}% を使用しました（${used}/${max}${jaCount(unit)}）。追加ブロックをご提案ください。`,
  waived:
    '担当者が免除しました（タグ deskplan_waive）: このチケットはカウントしません。タグを外すと再びカウントします。',
  unwaived: '免除が取り消されました: このチケットを現在の使用量の末尾で再びカウントします。',
  weighed: (weight, factors) =>
    `このチケットは ${weight} ユニットとしてカウントします（${factors.join('、')}）。`,
  weightFactor: (by, value, weight) =>
    `${by === 'outside-hours' ? '営業時間外' : by === 'priority' ? `優先度「${jaPriority[value] ?? value}」` : `チャネル「${value}」`} ×${weight}`,
  noContract: (product) =>
    `このアカウントには${product ? `「${product}」の` : ''}有効なサポート契約がありません。プランと SLA は適用されません。`,
  contractEnded: (contract, lastDay) => `契約「${contract}」は ${lastDay} に終了しました。`,
  contractEnding: (contract, lastDay, daysLeft) =>
    `契約期限アラート: 契約「${contract}」は ${lastDay} に終了します（${
      daysLeft === 0 ? '本日が最終日' : `残り ${daysLeft} 日`
    }）。`,
  priority: jaPriority,
};

export const NOTE_MESSAGES: Record<'en' | 'ja', NoteMessages> = { en, ja };
