import type { BackfillProgress, BackfillStatus } from '../../worker/backfill/backfills.js';
import { html, type SafeHtml } from './html.js';
import { formatCount, formatInstant } from './page-format.js';
import type { PageLocale, PageMessages } from './page-messages.js';

/** Why a start from the page was refused, as the page says it. */
export type BackfillNotice = 'busy' | 'unsupported' | 'agency-only';

/** What the tenant page knows of the tenant's backfill. */
export interface BackfillState {
  /** The last backfill as it stands (Backfills.current: `stopped` when no runner holds it), or
   * null when none ran yet. */
  progress: BackfillProgress | null;
  /** The signed-in principal may start one (the agency). */
  canStart: boolean;
  notice: BackfillNotice | null;
}

const badgeClass: Record<BackfillStatus, string> = {
  running: 'badge badge-info',
  done: 'badge badge-ok',
  failed: 'badge badge-over',
  stopped: 'badge badge-warn',
};

/** The tenant page's backfill card: the last run's status and figures, and its start button. */
export function backfillPanel(
  state: BackfillState,
  o: { m: PageMessages; locale: PageLocale; timeZone: string; tenantId: string },
): SafeHtml {
  const { m, locale, timeZone } = o;
  const p = state.progress;
  const status = p?.status ?? null;
  const at = (iso: string) => formatInstant(iso, locale, timeZone);
  const count = (n: number) => formatCount(n, locale);
  const figure = (name: string, label: string, value: string) =>
    html`<div data-figure="${name}">
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`;
  const notices: Record<BackfillNotice, string> = {
    busy: m.backfillBusy,
    unsupported: m.backfillUnsupported,
    'agency-only': m.backfillAgencyOnly,
  };
  return html`<section class="card backfill" data-backfill data-status="${status ?? 'none'}">
    <div class="contract-head">
      <div>
        <h2>${m.backfillTitle}</h2>
        <p class="muted small backfill-help">${m.backfillHelp}</p>
      </div>
      <div class="backfill-actions">
        ${status ? html`<span class="${badgeClass[status]}">${m.backfillStatus[status]}</span>` : null}
        ${state.canStart && status !== 'running' ? startForm(status, o) : null}
      </div>
    </div>
    ${
      state.notice
        ? html`<div class="alert alert-error" role="alert" data-backfill-notice="${state.notice}">
            ${notices[state.notice]}
          </div>`
        : null
    }
    ${p === null ? html`<p class="empty">${m.backfillNone}</p>` : null}
    ${status === 'running' ? html`<p class="muted small" role="status">${m.backfillRunning}</p>` : null}
    ${
      status === 'failed' || status === 'stopped'
        ? html`<div class="alert alert-error" data-backfill-failed>
            <p>${status === 'failed' ? m.backfillFailed : m.backfillStopped}</p>
            ${p?.error ? html`<p class="small">${m.backfillError}: <span class="mono">${p.error}</span></p>` : null}
          </div>`
        : null
    }
    ${
      p
        ? html`<dl class="figures-list backfill-figures">
            ${figure('started', m.backfillStartedAt, at(p.startedAt))}
            ${
              p.finishedAt
                ? figure('finished', m.backfillFinishedAt, at(p.finishedAt))
                : figure('updated', m.backfillUpdatedAt, at(p.updatedAt))
            }
            ${figure('pages', m.backfillPages, count(p.pages))}
            ${figure('seen', m.backfillSeen, count(p.seen))}
            ${figure('counted', m.backfillCounted, count(p.counted))}
            ${figure('skipped', m.backfillSkipped, count(p.skipped))}
            ${p.rateLimited > 0 ? figure('rate-limited', m.backfillRateLimited, count(p.rateLimited)) : null}
            ${
              p.replies
                ? html`${figure('replies-read', m.backfillRepliesRead, count(p.repliesRead))}
                  ${figure('replies-counted', m.backfillRepliesCounted, count(p.repliesCounted))}
                  ${
                    p.repliesBefore
                      ? html`<div data-figure="replies-before" title="${m.backfillRepliesNote}">
                          <dt>${m.backfillRepliesBefore}</dt>
                          <dd>${m.backfillBefore(at(p.repliesBefore))}</dd>
                        </div>`
                      : null
                  }`
                : null
            }
          </dl>`
        : null
    }
  </section>`;
}

function startForm(status: BackfillStatus | null, o: { m: PageMessages; tenantId: string }) {
  const resume = status === 'failed' || status === 'stopped';
  return html`<form
    method="post"
    action="/tenants/${encodeURIComponent(o.tenantId)}/backfill"
    class="inline"
  >
    <button type="submit" class="button ${resume ? '' : 'button-secondary'}" data-start-backfill>
      ${resume ? o.m.resumeBackfill : o.m.startBackfill}
    </button>
  </form>`;
}
