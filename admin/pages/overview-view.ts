import type { SlaCounts } from './page-data.js';
import { html, type SafeHtml } from './html.js';
import type { ContractUsage, LimitUsage, ScopeUsage, TenantUsage } from './page-data.js';
import { formatDay } from './page-format.js';
import { layout } from './page-layout.js';
import type { PageLocale, PageMessages } from './page-messages.js';
import { usageBar } from './usage-bar.js';

export type OverviewSort = 'tenant' | 'usage' | 'overage';

export interface OverviewInput {
  m: PageMessages;
  locale: PageLocale;
  who: string;
  /** Every tenant the principal sees (for the filter), with its usage or why it cannot show. */
  tenants: {
    tenantId: string;
    usage: TenantUsage | null;
    /** Open tickets at risk (due within the hour) and breached; null when not tracked. */
    sla: SlaCounts | null;
    problem: string | null;
  }[];
  filter: string | null;
  sort: OverviewSort;
  languages: { en: string; ja: string };
}

interface Row {
  tenant: TenantUsage;
  contract: ContractUsage;
  scope: ScopeUsage | null;
  usage: LimitUsage | null;
}

function rowsOf(tenants: TenantUsage[]): Row[] {
  const rows: Row[] = [];
  for (const tenant of tenants) {
    for (const contract of tenant.contracts) {
      const limits = contract.scopes.flatMap((scope) =>
        scope.limits.map((usage) => ({ scope, usage })),
      );
      if (limits.length === 0) rows.push({ tenant, contract, scope: null, usage: null });
      for (const { scope, usage } of limits) rows.push({ tenant, contract, scope, usage });
    }
  }
  return rows;
}

function sortRows(rows: Row[], sort: OverviewSort): Row[] {
  const byName = (a: Row, b: Row) =>
    a.tenant.name.localeCompare(b.tenant.name) || a.contract.name.localeCompare(b.contract.name);
  const key = (r: Row) =>
    sort === 'usage'
      ? (r.usage?.percent ?? -1)
      : sort === 'overage'
        ? (r.usage?.report.overage ?? 0)
        : 0;
  return [...rows].sort((a, b) => key(b) - key(a) || byName(a, b));
}

const stat = (label: string, value: string, tone: string, id: string, note?: string) =>
  html`<div class="stat stat-${tone}" data-stat="${id}">
    <div class="stat-label">${label}</div>
    <div class="stat-value">${value}</div>
    ${note ? html`<div class="stat-note">${note}</div>` : null}
  </div>`;

export function overviewView(o: OverviewInput): SafeHtml {
  const { m, locale } = o;
  const shown = o.tenants.filter((t) => o.filter === null || t.tenantId === o.filter);
  const usages = shown.flatMap((t) => (t.usage ? [t.usage] : []));
  const rows = sortRows(rowsOf(usages), o.sort);
  const contracts = usages.flatMap((t) => t.contracts.map((contract) => ({ tenant: t, contract })));
  const expiring = contracts.filter((c) => c.contract.expiresInDays !== null);
  const upsell = rows.filter((r) => r.usage?.upsell);
  const over = rows.filter((r) => (r.usage?.report.overage ?? 0) > 0);
  const slaShown = shown.flatMap((t) => (t.sla ? [t.sla] : []));
  const atRisk = slaShown.reduce((n, s) => n + s.atRisk, 0);
  const breached = slaShown.reduce((n, s) => n + s.breached, 0);

  const summary = html`<section class="stats" aria-label="${o.m.overviewTitle}">
    ${stat(m.tenants, String(usages.length), 'neutral', 'tenants')}
    ${stat(m.contracts, String(contracts.filter((c) => c.contract.state === 'active').length), 'neutral', 'contracts')}
    ${stat(m.overQuota, String(over.length), over.length > 0 ? 'over' : 'ok', 'over')}
    ${stat(m.expiringSoon, String(expiring.length), expiring.length > 0 ? 'warn' : 'ok', 'expiring')}
    ${stat(m.upsellCandidates, String(upsell.length), upsell.length > 0 ? 'info' : 'ok', 'upsell')}
    ${
      slaShown.length === 0
        ? stat(m.slaAtRisk, '—', 'pending', 'sla', m.slaPending)
        : stat(
            m.slaAtRisk,
            `${atRisk} / ${breached}`,
            breached > 0 ? 'over' : atRisk > 0 ? 'warn' : 'ok',
            'sla',
            m.slaWithinHour,
          )
    }
  </section>`;

  const lists =
    expiring.length + upsell.length === 0
      ? null
      : html`<section class="grid-2">
          ${
            expiring.length > 0
              ? html`<div class="card" data-list="expiring">
                  <h2>${m.expiringSoon}</h2>
                  <ul class="plain-list">
                    ${expiring.map(
                      ({ tenant, contract }) =>
                        html`<li>
                          <a href="/tenants/${encodeURIComponent(tenant.tenantId)}"
                            >${tenant.name}</a
                          >
                          <span class="muted">· ${contract.name}</span>
                          <span class="badge badge-warn"
                            >${m.expiresIn(contract.expiresInDays!)}</span
                          >
                          <span class="muted small">${formatDay(contract.end!, locale)}</span>
                        </li>`,
                    )}
                  </ul>
                </div>`
              : null
          }
          ${
            upsell.length > 0
              ? html`<div class="card" data-list="upsell">
                  <h2>${m.upsellCandidates}</h2>
                  <ul class="plain-list">
                    ${upsell.map(
                      (r) =>
                        html`<li>
                          <a href="/tenants/${encodeURIComponent(r.tenant.tenantId)}"
                            >${r.tenant.name}</a
                          >
                          <span class="muted">· ${r.contract.name}</span>
                          <span class="badge badge-info"
                            >${m.usedOf(r.usage!.report.used, r.usage!.report.allowance, r.usage!.limit.unit)}</span
                          >
                        </li>`,
                    )}
                  </ul>
                </div>`
              : null
          }
        </section>`;

  const filterBar = html`<form method="get" action="/" class="toolbar">
    <label class="field"
      ><span>${m.tenant}</span>
      <select name="tenant">
        <option value="">${m.allTenants}</option>
        ${o.tenants.map(
          (t) =>
            html`<option value="${t.tenantId}" ${o.filter === t.tenantId ? html`selected` : null}>
              ${t.usage?.name ?? t.tenantId}
            </option>`,
        )}
      </select>
    </label>
    <label class="field"
      ><span>${m.sortBy}</span>
      <select name="sort">
        ${(['tenant', 'usage', 'overage'] as const).map(
          (s) =>
            html`<option value="${s}" ${o.sort === s ? html`selected` : null}>
              ${m.sortOptions[s]}
            </option>`,
        )}
      </select>
    </label>
    <button type="submit" class="button button-secondary">${m.apply}</button>
  </form>`;

  const problems = shown.filter((t) => t.problem);
  const table = html`<section class="card card-flush">
    <div class="card-head">
      <h2>${m.contracts}</h2>
      ${filterBar}
    </div>
    ${problems.map((t) => html`<p class="alert alert-error">${t.tenantId}: ${t.problem}</p>`)}
    ${
      rows.length === 0
        ? html`<p class="empty">${m.noContracts}</p>`
        : html`<div class="table-wrap">
            <table class="table" data-table="usage">
              <thead>
                <tr>
                  <th scope="col">${m.tenant}</th>
                  <th scope="col">${m.contract}</th>
                  <th scope="col" class="col-usage">${m.usage}</th>
                  <th scope="col" class="num">${m.remaining}</th>
                  <th scope="col" class="num">${m.overage}</th>
                  <th scope="col">${m.flags}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map((r) => rowView(r, m, locale))}
              </tbody>
            </table>
          </div>`
    }
  </section>`;

  const body = html`<div class="page-head">
      <h1>${m.overviewTitle}</h1>
    </div>
    ${summary}${lists}${table}`;
  return layout({ title: m.overviewTitle, m, body, who: o.who, languages: o.languages });
}

function rowView(r: Row, m: PageMessages, locale: PageLocale): SafeHtml {
  const { tenant, contract, usage } = r;
  const report = usage?.report;
  const flags = [
    contract.expiresInDays !== null
      ? html`<span class="badge badge-warn">${m.expiresIn(contract.expiresInDays)}</span>`
      : null,
    usage?.upsell ? html`<span class="badge badge-info">${m.upsell}</span>` : null,
    report && report.overage > 0
      ? html`<span class="badge badge-over">${m.overQuota}</span>`
      : null,
  ];
  const usageCell = !usage
    ? html`<span class="muted"
        >${contract.state === 'upcoming' ? m.starts(formatDay(contract.start, locale)) : m.noUsageYet}</span
      >`
    : html`<div class="cell-usage">
        ${usageBar(usage.percent, usage.level, contract.thresholds, usage.percent === null ? m.unlimited : m.percentOfIncluded(usage.percent))}
        <div class="cell-usage-text">
          <span>${m.usedOf(report!.used, report!.allowance, usage.limit.unit)}</span>
          <span class="muted"
            >${m.periodLabel(usage.limit.per, formatDay(report!.period.firstDay, locale), report!.period.lastDay === null ? null : formatDay(report!.period.lastDay, locale))}</span
          >
        </div>
      </div>`;
  return html`<tr
    data-tenant="${tenant.tenantId}"
    data-contract="${contract.id}"
    data-limit="${usage?.limit.id ?? ''}"
  >
    <td class="nowrap">
      <a href="/tenants/${encodeURIComponent(tenant.tenantId)}" class="strong">${tenant.name}</a>
    </td>
    <td>
      <div class="strong">${contract.name}</div>
      <div class="muted small">
        ${contract.plan.name}${r.scope?.account ? html` · ${m.account} ${r.scope.account}` : null}
      </div>
    </td>
    <td>${usageCell}</td>
    <td class="num">
      ${report ? (report.remaining === null ? '∞' : m.units(report.remaining, usage!.limit.unit)) : '—'}
    </td>
    <td class="num ${report && report.overage > 0 ? 'text-over strong' : ''}">
      ${report ? (report.overage > 0 ? m.units(report.overage, usage!.limit.unit) : '0') : '—'}
    </td>
    <td><div class="badges">${flags}</div></td>
  </tr>`;
}
