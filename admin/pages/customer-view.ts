import { html, type SafeHtml } from './html.js';
import type { ContractUsage, TenantUsage } from './page-data.js';
import { formatDay, formatInstant, formatUnits, memberLabel } from './page-format.js';
import { layout } from './page-layout.js';
import type { PageMessages } from './page-messages.js';
import { usageFigures } from './usage-figures.js';

/**
 * What a client sees through a share link: the plan, the period, used and remaining, and the
 * tickets counted (numbers and dates). Nothing internal: no event ids, pools, keys or tokens.
 */
export function customerView(
  m: PageMessages,
  tenant: TenantUsage,
  contract: ContractUsage,
): SafeHtml {
  const locale = tenant.locale;
  const limits = contract.scopes.flatMap((s) => s.limits);
  const dates = `${formatDay(contract.start, locale)} – ${contract.end ? formatDay(contract.end, locale) : '…'}`;
  const body = html`<div class="page-head">
      <div>
        <h1>${contract.name}</h1>
        <div class="meta"><span>${m.plan}: ${contract.plan.name}</span><span>${dates}</span></div>
      </div>
    </div>
    ${limits.length === 0 ? html`<section class="card"><p class="empty">${m.noUsageYet}</p></section>` : null}
    ${limits.map((u) => {
      const weighted = u.report.entries.some((e) => e.weight !== 1);
      return html`<section class="card" data-limit="${u.limit.id}">
        ${usageFigures(u, contract.thresholds, m, locale)}
        <h2 class="section-title">
          ${m.itemsCounted} <span class="count">${u.report.entries.length}</span>
        </h2>
        ${
          u.report.entries.length === 0
            ? html`<p class="empty">${m.noneCounted}</p>`
            : html`<div class="table-wrap">
                <table class="table table-compact" data-table="counted">
                  <thead>
                    <tr>
                      <th scope="col">${u.limit.unit === 'responses' ? m.reply : m.ticket}</th>
                      <th scope="col">${m.date}</th>
                      ${weighted ? html`<th scope="col" class="num">${m.weight}</th>` : null}
                    </tr>
                  </thead>
                  <tbody>
                    ${u.report.entries.map(
                      (e) =>
                        html`<tr>
                          <td class="ticket-id">#${memberLabel(e.member).id}</td>
                          <td>${formatInstant(e.atMs, locale, tenant.timeZone)}</td>
                          ${weighted ? html`<td class="num">${formatUnits(e.weight)}</td>` : null}
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
      </section>`;
    })}
    <p class="muted small center">${m.customerNote(tenant.timeZone)}</p>`;
  return layout({
    title: `${m.customerTitle} · ${contract.name}`,
    m,
    body,
    customer: { heading: tenant.name },
  });
}
