/** [fromMs, toMs) spans during which the SLA clock is stopped; toMs may be Infinity. */
export type Paused = ReadonlyArray<readonly [number, number]>;

type Spans = [number, number][];
const NONE: Spans = [];

/** Sorted, merged copy of the paused spans (callers may pass them in any order). */
export function normalizePaused(paused: Paused): Spans {
  if (paused.length === 0) return NONE;
  const sorted = paused.filter(([a, b]) => b > a).map(([a, b]) => [a, b] as [number, number]);
  sorted.sort((x, y) => x[0] - y[0]);
  const merged: Spans = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push(span);
  }
  return merged;
}

/** Told each stretch of counted time [t, t + length), in order; returns true to stop. */
export type Consume = (t: number, length: number) => boolean;
export type WalkEnd = 'stopped' | 'continue' | 'paused-forever' | 'never-open';
/** Feeds the counted time from `fromMs` on to `consume`; must end once `consume` says stop. */
export type Walk = (fromMs: number, paused: Spans, consume: Consume) => WalkEnd;

/**
 * Feeds the open span [start, end) minus paused spans to `consume`. `state.pause` is the index
 * of the first paused span that may still matter; it only moves forward, so a whole walk is
 * linear in days plus paused spans.
 */
export function walkSegment(
  start: number,
  end: number,
  paused: Spans,
  state: { pause: number },
  consume: Consume,
): WalkEnd {
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

/** addMinutes and minutesBetween over a way of walking open time. */
export function measures(walk: Walk, everOpen: boolean) {
  return {
    addMinutes(startMs: number, minutes: number, paused: Paused = NONE): number {
      // Negative and NaN minutes, and odd starts, pass through. 0 minutes is not a no-op: like
      // any target, its clock starts at the first open, unpaused instant (startMs if it is one).
      if (!(minutes >= 0) || !Number.isFinite(startMs)) return startMs;
      if (minutes === Infinity || !everOpen) return Infinity;
      let left = minutes * 60_000;
      let due = Infinity;
      // Each stretch is non-empty, so with left = 0 the first one ends the walk: due = its start.
      walk(startMs, normalizePaused(paused), (t, len) => {
        if (len < left) {
          left -= len;
          return false;
        }
        due = t + left;
        return true;
      });
      return due;
    },
    minutesBetween(fromMs: number, toMs: number, paused: Paused = NONE): number {
      if (!(toMs > fromMs) || !everOpen) return 0;
      const spans = normalizePaused(paused);
      if (fromMs === -Infinity) return Infinity;
      if (toMs === Infinity) {
        // Counting never ends unless the clock is stopped for good at some point.
        const forever = spans.find(([, b]) => b === Infinity);
        if (!forever) return Infinity;
        toMs = forever[0];
        if (!(toMs > fromMs)) return 0;
      }
      let total = 0;
      walk(fromMs, spans, (t, len) => {
        if (t >= toMs) return true;
        total += Math.min(len, toMs - t);
        return t + len >= toMs;
      });
      return total / 60_000;
    },
  };
}
