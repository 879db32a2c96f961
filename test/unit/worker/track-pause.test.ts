import { describe, expect, it } from 'vitest';
import { emptyTicketState, trackPause } from '../../../worker/stores/ticket-state-store.js';

const pauseOn = ['pending', 'hold'];

describe('trackPause', () => {
  it('opens an interval on entering a pausing status and closes it on leaving', () => {
    const paused = trackPause(emptyTicketState(), 'pending', pauseOn, '2026-11-10T09:00:00Z');
    expect(paused.pausedIntervals).toEqual([{ from: '2026-11-10T09:00:00Z', to: null }]);
    const resumed = trackPause(paused, 'open', pauseOn, '2026-11-10T12:00:00Z');
    expect(resumed.pausedIntervals).toEqual([
      { from: '2026-11-10T09:00:00Z', to: '2026-11-10T12:00:00Z' },
    ]);
    const again = trackPause(resumed, 'hold', pauseOn, '2026-11-11T08:00:00Z');
    expect(again.pausedIntervals).toEqual([
      { from: '2026-11-10T09:00:00Z', to: '2026-11-10T12:00:00Z' },
      { from: '2026-11-11T08:00:00Z', to: null },
    ]);
  });

  it('changes nothing while the status stays on the same side', () => {
    const open = emptyTicketState();
    expect(trackPause(open, 'open', pauseOn, '2026-11-10T09:00:00Z')).toBe(open);
    const paused = trackPause(open, 'pending', pauseOn, '2026-11-10T09:00:00Z');
    // pending -> hold is still paused: the first interval keeps running.
    expect(trackPause(paused, 'hold', pauseOn, '2026-11-10T10:00:00Z')).toBe(paused);
  });

  it('never pauses when the policy pauses on nothing', () => {
    const state = trackPause(emptyTicketState(), 'pending', [], '2026-11-10T09:00:00Z');
    expect(state.pausedIntervals).toEqual([]);
  });

  it('does not let a late, older event close an interval before it opened', () => {
    const paused = trackPause(emptyTicketState(), 'pending', pauseOn, '2026-11-10T09:00:00Z');
    const closed = trackPause(paused, 'open', pauseOn, '2026-11-10T08:00:00Z');
    expect(closed.pausedIntervals).toEqual([
      { from: '2026-11-10T09:00:00Z', to: '2026-11-10T09:00:00Z' },
    ]);
  });

  it('leaves the input state untouched', () => {
    const paused = trackPause(emptyTicketState(), 'pending', pauseOn, '2026-11-10T09:00:00Z');
    const copy = structuredClone(paused);
    trackPause(paused, 'open', pauseOn, '2026-11-10T12:00:00Z');
    expect(paused).toEqual(copy);
  });
});
