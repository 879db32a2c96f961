import { html as pageHtml, type SafeHtml } from '../pages/html.js';
import { formatDay, formatInstant, formatUnits } from '../pages/page-format.js';
import type { PageLocale } from '../pages/page-messages.js';
import type { TicketSummary } from '../api/ticket-summary.js';
import { shortDuration, sidebarText, type SidebarText } from './sidebar-text.js';

// The markup Help Scout keeps in a Dynamic App: its sidebar list classes (c-sb-list…), the text
// colour classes (muted, green, orange, red) and links; inline CSS, script and other markup are
// stripped. https://developer.helpscout.com/custom-apps/style-guide/ and
// https://developer.helpscout.com/custom-apps/style-guide-v1/

/** `html` without the template's own line breaks and indentation (values are kept as they are). */
function html(strings: TemplateStringsArray, ...values: Parameters<typeof pageHtml>[1][]) {
  const compact = strings.map((s) => s.replace(/\n\s*/g, ''));
  return pageHtml(Object.assign(compact, { raw: compact }), ...values);
}

export interface SidebarContext {
  locale: PageLocale;
  timeZone: string;
  /** deskplan's origin, for the dashboard link (the sidebar needs an absolute URL). */
  origin: string;
}

const item = (label: string, text: SafeHtml | string) =>
  html`<li class="c-sb-list-item">
    <span class="c-sb-list-item__label"
      >${label}<span class="c-sb-list-item__text">${text}</span></span
    >
  </li>`;

function usageText(row: TicketSummary['usage'][number], t: SidebarText, locale: PageLocale) {
  const unit = row.limit.unit === 'tickets' ? t.tickets : t.responses;
  const used = formatUnits(row.used);
  const first =
    row.allowance === null
      ? t.usedUnlimited(Number(used), unit)
      : t.used(Number(used), row.allowance, unit);
  const period = `${formatDay(row.period.firstDay, locale)} – ${row.period.lastDay ? formatDay(row.period.lastDay, locale) : '…'}`;
  const colour =
    row.overage > 0 ? 'red' : row.remaining !== null && row.remaining <= 0 ? 'orange' : null;
  return html`${tone(colour, first)}<br /><span class="muted"
      >${row.remaining === null ? '' : `${t.remaining(row.remaining)} · `}${period}</span
    >`;
}

/** Text in one of Help Scout's colour classes (none: the default colour). */
const tone = (colour: string | null, text: string | SafeHtml) =>
  colour ? html`<span class="${colour}">${text}</span>` : html`${text}`;

/** The sidebar for a ticket deskplan handled: plan, contract, usage, quota state, dues, link. */
export function summaryHtml(summary: TicketSummary, c: SidebarContext): string {
  const t = sidebarText(c.locale);
  const state = summary.overage.state;
  const stateText =
    state === 'over'
      ? t.over(summary.overage.units)
      : state === 'exhausted'
        ? t.exhausted
        : t.within;
  const stateColour = state === 'over' ? 'red' : state === 'exhausted' ? 'orange' : 'green';
  const dashboard = `${c.origin}${summary.dashboardPath}`;
  const dues = summary.dues.map((d) => {
    const left = d.breached
      ? t.overdue(shortDuration(d.minutesLeft))
      : t.in(shortDuration(d.minutesLeft));
    return item(
      t[d.metric],
      html`${tone(d.breached ? 'red' : null, left)}<br /><span class="muted"
          >${t.dueAt(formatInstant(d.due, c.locale, c.timeZone))}</span
        >`,
    );
  });
  return html`<ul class="c-sb-list c-sb-list--two-line">
      ${summary.plan ? item(t.plan, summary.plan.name) : null}
      ${
        summary.contract
          ? item(t.contract, summary.contract.name)
          : html`<li class="c-sb-list-item muted">${t.noContract}</li>`
      }
      ${summary.usage.map((row) => item(t.usage, usageText(row, t, c.locale)))}
      ${
        summary.usage.length > 0 || summary.counted
          ? item(t.overage, tone(stateColour, stateText))
          : null
      }
      ${dues.length > 0 ? dues : html`<li class="c-sb-list-item muted">${t.noDues}</li>`}
    </ul>
    <p><a href="${dashboard}" target="_blank" rel="noopener noreferrer">${t.dashboard}</a></p>`
    .text;
}

/** A short, friendly sidebar: deskplan knows nothing of the conversation (or it is a draft). */
export function messageHtml(kind: 'unknown' | 'draft', locale: PageLocale): string {
  return html`<p class="muted">${sidebarText(locale)[kind]}</p>`.text;
}
