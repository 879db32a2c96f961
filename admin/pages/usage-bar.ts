import { html, type SafeHtml } from './html.js';
import type { UsageLevel } from './page-data.js';

/**
 * A usage bar as inline SVG: the fill's width is an SVG attribute (a percentage), its colour a
 * class, so the strict CSP (no inline style) holds. Ticks mark the plan's alert thresholds.
 */
export function usageBar(
  percent: number | null,
  level: UsageLevel,
  thresholds: number[],
  label: string,
): SafeHtml {
  const width = percent === null ? 0 : Math.max(0, Math.min(100, percent));
  const shown = Math.round(width * 10) / 10;
  return html`<svg
    class="bar bar-${level}"
    width="100%"
    height="10"
    role="img"
    aria-label="${label}"
    data-percent="${percent === null ? '' : Math.round(percent * 10) / 10}"
  >
    <rect class="bar-track" x="0" y="0" width="100%" height="10" rx="5" />
    ${width > 0 ? html`<rect class="bar-fill" x="0" y="0" width="${shown}%" height="10" rx="5" />` : null}
    ${thresholds
      .filter((t) => t > 0 && t < 100)
      .map((t) => html`<line class="bar-tick" x1="${t}%" x2="${t}%" y1="1" y2="9" />`)}
  </svg>`;
}
