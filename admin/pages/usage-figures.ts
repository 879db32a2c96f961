import { html, type SafeHtml } from './html.js';
import type { LimitUsage } from './page-data.js';
import { formatDay } from './page-format.js';
import type { PageLocale, PageMessages } from './page-messages.js';
import { usageBar } from './usage-bar.js';

/** A limit's current period: the period, the bar, used of included, remaining and overage. */
export function usageFigures(
  u: LimitUsage,
  thresholds: number[],
  m: PageMessages,
  locale: PageLocale,
): SafeHtml {
  const r = u.report;
  const unit = u.limit.unit;
  const period = m.periodLabel(
    u.limit.per,
    formatDay(r.period.firstDay, locale),
    r.period.lastDay === null ? null : formatDay(r.period.lastDay, locale),
  );
  const extra = r.detail
    ? {
        rolledIn: r.detail.rolledIn.reduce((s, x) => s + x.units, 0),
        topUps: r.detail.topUps.reduce((s, x) => s + x.available, 0),
      }
    : { rolledIn: 0, topUps: 0 };
  return html`<div class="figures" data-limit="${u.limit.id}">
    <div class="figures-head">
      <span class="figures-used">${m.usedOf(r.used, r.allowance, unit)}</span>
      <span class="figures-percent level-${u.level}"
        >${u.percent === null ? m.unlimited : m.percentOfIncluded(u.percent)}</span
      >
    </div>
    ${usageBar(u.percent, u.level, thresholds, u.percent === null ? m.unlimited : m.percentOfIncluded(u.percent))}
    <dl class="figures-list">
      <div>
        <dt>${m.period}</dt>
        <dd>${period}</dd>
      </div>
      <div>
        <dt>${m.included}</dt>
        <dd>
          ${r.allowance === null ? m.unlimited : m.units(r.allowance, unit)}${
            extra.rolledIn + extra.topUps > 0
              ? html`<span class="muted">
                  (${m.rolloverTopUps(extra.rolledIn, extra.topUps)})</span
                >`
              : null
          }
        </dd>
      </div>
      <div>
        <dt>${m.remaining}</dt>
        <dd class="figure-remaining">
          ${r.remaining === null ? m.unlimited : m.units(r.remaining, unit)}
        </dd>
      </div>
      <div>
        <dt>${m.overage}</dt>
        <dd class="figure-overage ${r.overage > 0 ? 'text-over' : ''}">
          ${r.overage > 0 ? m.units(r.overage, unit) : '0'}
        </dd>
      </div>
    </dl>
  </div>`;
}

/** A period's short name on a chart axis: the month for monthly periods, else the first day. */
export function periodShortLabel(per: string, firstDay: string, locale: PageLocale): string {
  const at = Date.parse(`${firstDay}T00:00:00Z`);
  if (per === 'month' && firstDay.endsWith('-01')) {
    return new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
      timeZone: 'UTC',
      year: 'numeric',
      month: 'short',
    }).format(at);
  }
  return formatDay(firstDay, locale);
}
