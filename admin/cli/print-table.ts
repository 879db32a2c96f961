/** Rows as an aligned text table for a terminal (cells as text; null and undefined as '—'). */
export function table(head: string[], rows: unknown[][]): string {
  const cells = [
    head,
    ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '—' : String(c)))),
  ];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(cells[0]!), line(widths.map((w) => '─'.repeat(w))), ...cells.slice(1).map(line)].join('\n')}\n`;
}
