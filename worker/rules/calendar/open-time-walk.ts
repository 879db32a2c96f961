/** [fromMs, toMs) spans during which the SLA clock is stopped; toMs may be Infinity. */
export type Paused = ReadonlyArray<readonly [number, number]>;

/** Sorted, merged copy of the paused spans (callers may pass them in any order). */
export function normalizePaused(paused: Paused): [number, number][] {
  const sorted = paused.filter(([a, b]) => b > a).map(([a, b]) => [a, b] as [number, number]);
  sorted.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged;
}

/**
 * Walks open time forward from `cursor`, segment by segment, skipping paused spans. `consume`
 * is told each stretch of counted time [t, t + length); it returns true to stop the walk.
 * Returns false when the clock is paused forever first.
 */
export function walkSegment(
  start: number,
  end: number,
  paused: [number, number][],
  state: { pause: number },
  consume: (t: number, length: number) => boolean,
): 'stopped' | 'continue' | 'paused-forever' {
  let t = start;
  while (t < end) {
    while (state.pause < paused.length && paused[state.pause]![1] <= t) state.pause++;
    const p = paused[state.pause];
    if (p && p[0] <= t) {
      if (p[1] === Infinity) return 'paused-forever';
      t = p[1];
      continue;
    }
    const stop = p ? Math.min(end, p[0]) : end;
    if (consume(t, stop - t)) return 'stopped';
    t = stop;
  }
  return 'continue';
}
