import { html, type SafeHtml } from './html.js';
import type { PeriodPoint } from './page-data.js';
import { formatUnits } from './page-format.js';

const W = 640;
const H = 220;
const PAD = { left: 44, right: 12, top: 18, bottom: 30 };

/** A whole, round step (1, 2, 2.5 or 5 times a power of ten, at least 1) for about five gridlines up to `n`. */
function niceStep(n: number): number {
  const rough = Math.max(1, n / 5);
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const f of [1, 2, 2.5, 5, 10]) {
    const step = f * power;
    if (step >= rough && Number.isInteger(step)) return step;
  }
  return 10 * power;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Used against included per period, as inline SVG (no script, so the strict CSP holds): a bar per
 * period (the part beyond the allowance in the overage colour), a dashed mark at what the period
 * included, the used figure above the bar. `labels` name the periods on the x axis.
 */
export function usageChart(points: PeriodPoint[], labels: string[], title: string): SafeHtml {
  const highest = Math.max(1, ...points.map((p) => Math.max(p.used, p.allowance ?? 0))) * 1.1;
  const step = niceStep(highest);
  const top = Math.ceil(highest / step) * step;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const slot = plotW / Math.max(1, points.length);
  const barW = Math.min(56, slot * 0.5);
  const grid = Array.from({ length: top / step + 1 }, (_, i) => {
    const v = i * step;
    return html`<line
        class="chart-grid"
        x1="${PAD.left}"
        x2="${W - PAD.right}"
        y1="${r1(y(v))}"
        y2="${r1(y(v))}"
      />
      <text class="chart-axis" x="${PAD.left - 8}" y="${r1(y(v) + 4)}" text-anchor="end"
        >${formatUnits(v)}</text
      >`;
  });
  const bars = points.map((p, i) => {
    const cx = PAD.left + slot * i + slot / 2;
    const x = r1(cx - barW / 2);
    const within = p.allowance === null ? p.used : Math.min(p.used, p.allowance);
    const over = p.used - within;
    const included =
      p.allowance === null
        ? null
        : html`<line
            class="chart-included"
            x1="${r1(cx - slot * 0.38)}"
            x2="${r1(cx + slot * 0.38)}"
            y1="${r1(y(p.allowance))}"
            y2="${r1(y(p.allowance))}"
          />`;
    return html`<g
      class="chart-period"
      data-period="${p.periodKey}"
      data-used="${p.used}"
      data-included="${p.allowance ?? ''}"
    >
      ${within > 0 ? html`<rect class="chart-used" x="${x}" y="${r1(y(within))}" width="${r1(barW)}" height="${r1(y(0) - y(within))}" rx="3" />` : null}
      ${over > 0 ? html`<rect class="chart-over" x="${x}" y="${r1(y(p.used))}" width="${r1(barW)}" height="${r1(y(within) - y(p.used))}" rx="3" />` : null}
      ${included}
      <text
        class="chart-value"
        x="${r1(cx)}"
        y="${r1(y(Math.max(p.used, p.allowance ?? 0)) - 7)}"
        text-anchor="middle"
        >${formatUnits(p.used)}</text
      >
      <text class="chart-axis" x="${r1(cx)}" y="${H - 10}" text-anchor="middle"
        >${labels[i] ?? ''}</text
      >
    </g>`;
  });
  return html`<svg
    class="chart"
    viewBox="0 0 ${W} ${H}"
    width="100%"
    role="img"
    aria-label="${title}"
  >
    ${grid}
    <line
      class="chart-baseline"
      x1="${PAD.left}"
      x2="${W - PAD.right}"
      y1="${r1(y(0))}"
      y2="${r1(y(0))}"
    />
    ${bars}
  </svg>`;
}
