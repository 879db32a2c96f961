import { backfillPanel, type BackfillState } from './backfill-panel.js';
import { html, type SafeHtml } from './html.js';
import type { ContractUsage, LimitUsage, TenantUsage } from './page-data.js';
import { formatDay, formatInstant, formatUnits, memberLabel } from './page-format.js';
import { layout } from './page-layout.js';
import type { PageMessages } from './page-messages.js';
import type { ShareLink } from './share-links.js';
import { usageChart } from './usage-chart.js';
import { periodShortLabel, usageFigures } from './usage-figures.js';

export interface TenantViewInput {
  m: PageMessages;
  who: string;
  tenant: TenantUsage;
  links: ShareLink[];
  /** A link just created: its full URL, shown once, and its contract. */
  created: { contractId: string; url: string } | null;
  /** The tenant's backfill; null: this process runs none (no panel). */
  backfill: BackfillState | null;
}

/** How often a page showing a running backfill loads itself again. */
export const BACKFILL_REFRESH_SECONDS = 5;

export function tenantView(o: TenantViewInput): SafeHtml {
  const { m, tenant } = o;
  const locale = tenant.locale;
  const saved = tenant.savedAt ? formatInstant(tenant.savedAt, locale, tenant.timeZone) : null;
  const status = o.backfill?.progress?.status ?? null;
  const panel = o.backfill
    ? backfillPanel(o.backfill, {
        m,
        locale,
        timeZone: tenant.timeZone,
        tenantId: tenant.tenantId,
      })
    : null;
  // A run in progress, stopped, or a refused start comes first; a finished one (or none) last.
  const panelFirst = status === 'running' || status === 'failed' || status === 'stopped';
  const first = panelFirst || o.backfill?.notice ? panel : null;
  const body = html`<div class="page-head">
      <div>
        <div class="crumbs"><a href="/">${m.overview}</a> / ${tenant.tenantId}</div>
        <h1>${tenant.name}</h1>
        <div class="meta">
          <span>${m.timeZone}: ${tenant.timeZone}</span>
          <span data-config-version="${tenant.version}"
            >${m.configVersion(tenant.version, saved)}</span
          >
        </div>
      </div>
    </div>
    ${first}
    ${tenant.contracts.length === 0 ? html`<section class="card"><p class="empty">${m.noContracts}</p></section>` : null}
    ${tenant.contracts.map((c) => contractCard(c, o))} ${first ? null : panel}`;
  // While a backfill runs the page loads itself again (a GET of the tenant page), so its figures
  // move without a script; never over a just-created share link, which is shown only once.
  const refresh =
    status === 'running' && o.created === null
      ? {
          seconds: BACKFILL_REFRESH_SECONDS,
          url: `/tenants/${encodeURIComponent(tenant.tenantId)}`,
        }
      : null;
  return layout({ title: tenant.name, m, body, who: o.who, refresh });
}

function contractCard(c: ContractUsage, o: TenantViewInput): SafeHtml {
  const { m, tenant } = o;
  const locale = tenant.locale;
  const dates = `${formatDay(c.start, locale)} – ${c.end ? formatDay(c.end, locale) : '…'}`;
  const limits = c.scopes.flatMap((s) => s.limits.map((u) => ({ scope: s, u })));
  return html`<section class="card contract" data-contract="${c.id}">
    <div class="contract-head">
      <div>
        <h2>${c.name}</h2>
        <div class="meta"><span>${m.plan}: ${c.plan.name}</span><span>${dates}</span></div>
      </div>
      <div class="badges">
        ${c.state === 'upcoming' ? html`<span class="badge">${m.starts(formatDay(c.start, locale))}</span>` : null}
        ${c.expiresInDays !== null ? html`<span class="badge badge-warn">${m.expiresIn(c.expiresInDays)}</span>` : null}
        ${limits.some((l) => l.u.upsell) ? html`<span class="badge badge-info">${m.upsell}</span>` : null}
        ${limits.some((l) => l.u.report.overage > 0) ? html`<span class="badge badge-over">${m.overQuota}</span>` : null}
      </div>
    </div>
    ${c.state === 'active' && limits.length === 0 ? html`<p class="empty">${m.noUsageYet}</p>` : null}
    ${limits.map(
      ({ scope, u }) =>
        html`<div class="limit">
          ${scope.account ? html`<h3>${m.account}: ${scope.account}</h3>` : null}
          <div class="limit-grid">
            ${usageFigures(u, c.thresholds, m, locale)} ${historyBlock(u, m, locale)}
          </div>
          ${countedTable(u, o)}
        </div>`,
    )}
    ${c.perAccount ? null : shareBlock(c, o)}
  </section>`;
}

function historyBlock(u: LimitUsage, m: PageMessages, locale: 'en' | 'ja'): SafeHtml {
  if (u.history.length === 0) return html``;
  const labels = u.history.map((p) => periodShortLabel(u.limit.per, p.firstDay, locale));
  return html`<figure class="history" data-chart="${u.limit.id}">
    <figcaption>
      <span class="strong">${m.history}</span>
      <span class="legend">
        <span class="key key-used"></span>${m.legendUsed}
        <span class="key key-over"></span>${m.legendOverage}
        <span class="key key-included"></span>${m.legendIncluded}
      </span>
    </figcaption>
    ${usageChart(u.history, labels, m.history)}
  </figure>`;
}

function countedTable(u: LimitUsage, o: TenantViewInput): SafeHtml {
  const { m, tenant } = o;
  const entries = u.report.entries;
  return html`<details class="counted" ${entries.length <= 12 ? html`open` : null}>
    <summary>${m.countedThisPeriod} <span class="count">${entries.length}</span></summary>
    ${
      entries.length === 0
        ? html`<p class="empty">${m.noneCounted}</p>`
        : html`<div class="table-wrap">
            <table class="table table-compact" data-table="counted">
              <thead>
                <tr>
                  <th scope="col">${u.limit.unit === 'responses' ? m.reply : m.ticket}</th>
                  <th scope="col">${m.countedAt}</th>
                  <th scope="col" class="num">${m.weight}</th>
                  <th scope="col" class="num">${m.beyondAllowance}</th>
                </tr>
              </thead>
              <tbody>
                ${entries.map((e) => {
                  const label = memberLabel(e.member);
                  return html`<tr
                    data-member="${e.member}"
                    class="${e.overage > 0 ? 'row-over' : ''}"
                  >
                    <td class="ticket-id">#${label.id}</td>
                    <td>${formatInstant(e.atMs, tenant.locale, tenant.timeZone)}</td>
                    <td class="num">${formatUnits(e.weight)}</td>
                    <td class="num ${e.overage > 0 ? 'text-over strong' : 'muted'}">
                      ${e.overage > 0 ? formatUnits(e.overage) : '—'}
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>
          </div>`
    }
  </details>`;
}

function shareBlock(c: ContractUsage, o: TenantViewInput): SafeHtml {
  const { m, tenant } = o;
  const base = `/tenants/${encodeURIComponent(tenant.tenantId)}/contracts/${encodeURIComponent(c.id)}`;
  const links = o.links.filter((l) => l.contractId === c.id);
  const created = o.created?.contractId === c.id ? o.created.url : null;
  return html`<div class="share" data-share="${c.id}">
    <div class="share-head">
      <div>
        <h3>${m.shareTitle}</h3>
        <p class="muted small">${m.shareHelp}</p>
      </div>
      <form method="post" action="${base}/share">
        <button type="submit" class="button button-secondary">${m.createLink}</button>
      </form>
    </div>
    ${
      created
        ? html`<div class="alert alert-ok" role="status">
            <p>${m.linkCreated}</p>
            <input
              class="copy"
              type="text"
              readonly
              value="${created}"
              aria-label="${m.shareTitle}"
              data-created-link
            />
          </div>`
        : null
    }
    ${
      links.length === 0
        ? html`<p class="muted small">${m.noLinks}</p>`
        : html`<ul class="plain-list links">
            ${links.map(
              (l) =>
                html`<li data-link="${l.id}">
                  <span class="mono small">${l.id.slice(0, 8)}</span>
                  <span class="muted small"
                    >${m.createdOn(formatInstant(l.createdAt, tenant.locale, tenant.timeZone))}</span
                  >
                  <form method="post" action="${base}/revoke" class="inline">
                    <input type="hidden" name="link" value="${l.id}" />
                    <button type="submit" class="button button-danger button-small">
                      ${m.revoke}
                    </button>
                  </form>
                </li>`,
            )}
          </ul>`
    }
  </div>`;
}
