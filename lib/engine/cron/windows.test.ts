// Maintenance windows as spans (windows.ts) and the freshness timeline's deadlines (state.ts), at
// their exact boundaries. Written after mutation testing showed these were only covered through
// the state function's happy paths (README, "Mutation testing").
import { describe, expect, it } from 'vitest';
import { applyPing } from './apply-ping';
import { evaluateCheck } from './state';
import { at, config, empty, H, M, S, T, win } from './state-fixtures';
import { deferDeadline, mergeWindows, spanAt } from './windows';

describe('mergeWindows', () => {
  it('drops invalid and empty windows: a bad date, end before start, end equal to start', () => {
    expect(mergeWindows([{ start: new Date('nope'), end: at(T) }, { start: at(T), end: new Date(Number.NaN) }])).toEqual([]);
    expect(mergeWindows([win(T, T - 1)])).toEqual([]);
    expect(mergeWindows([win(T, T)])).toEqual([]);
    expect(mergeWindows([win(T, T + 1)])).toEqual([{ start: T, end: T + 1 }]);
  });

  it('sorts, merges overlapping and touching windows, keeps disjoint ones apart', () => {
    expect(mergeWindows([win(T + 10 * M, T + 20 * M), win(T, T + 5 * M)])).toEqual([{ start: T, end: T + 5 * M }, { start: T + 10 * M, end: T + 20 * M }]);
    // Touching (start == previous end) is one window; so is one inside another.
    expect(mergeWindows([win(T, T + 5 * M), win(T + 5 * M, T + 8 * M), win(T + M, T + 2 * M)])).toEqual([{ start: T, end: T + 8 * M }]);
    // 1 ms apart: two windows.
    expect(mergeWindows([win(T, T + 5 * M), win(T + 5 * M + 1, T + 8 * M)])).toHaveLength(2);
    // The input is not changed.
    const input = [win(T, T + M)];
    mergeWindows(input);
    expect(input[0]!.end.getTime()).toBe(T + M);
  });
});

describe('spanAt and deferDeadline', () => {
  const spans = mergeWindows([win(T, T + H), win(T + 2 * H, T + 3 * H)]);
  it('a window holds from its start (inclusive) to its end (exclusive)', () => {
    expect(spanAt(T - 1, spans)).toBeNull();
    expect(spanAt(T, spans)).toEqual({ start: T, end: T + H });
    expect(spanAt(T + H - 1, spans)).toEqual({ start: T, end: T + H });
    expect(spanAt(T + H, spans)).toBeNull();
    expect(spanAt(T + 2 * H + 1, spans)).toEqual({ start: T + 2 * H, end: T + 3 * H });
    expect(spanAt(T + 3 * H, spans)).toBeNull();
  });
  it('a deadline inside a window moves to its end; outside, it stays', () => {
    expect(deferDeadline(T - 1, spans)).toBe(T - 1);
    expect(deferDeadline(T, spans)).toBe(T + H);
    expect(deferDeadline(T + H, spans)).toBe(T + H);
    expect(deferDeadline(T + 90 * M, spans)).toBe(T + 90 * M);
  });
});

describe('freshness timeline deadlines', () => {
  const fresh = config({ type: 'freshness', maxAgeSeconds: 3600 });
  const seen = (mtime: number | null, observed = T) => ({ ...empty, artifactMtime: mtime === null ? null : at(mtime), observedAt: at(observed) });

  it('fresh: up, down 1 ms after mtime + max age, and that is nextChangeAt', () => {
    const e = evaluateCheck(fresh, seen(T - 10 * M), at(T));
    expect([e.state, e.downAt?.getTime(), e.nextChangeAt?.getTime(), e.expectedAt?.getTime()]).toEqual(['up', T + 50 * M, T + 50 * M + 1, T + 50 * M]);
    expect(evaluateCheck(fresh, seen(T - 10 * M), at(T + 50 * M)).state).toBe('up');
    expect(evaluateCheck(fresh, seen(T - 10 * M), at(T + 50 * M + 1)).state).toBe('down');
  });

  it('missing: down at once after the observation, with no deadline left', () => {
    const e = evaluateCheck(fresh, seen(null), at(T));
    expect([e.state, e.downAt, e.nextChangeAt, e.expectedAt]).toEqual(['down', null, null, null]);
    expect(e.reason).toMatch(/^artifact missing; observed /);
  });

  it('future-dated beyond the tolerance: down, and believable again once the clock reaches mtime − 5 minutes', () => {
    const mtime = T + 2 * H;
    const e = evaluateCheck(fresh, seen(mtime), at(T));
    expect(e.state).toBe('down');
    expect(e.nextChangeAt?.getTime()).toBe(mtime - 5 * M);
    expect(evaluateCheck(fresh, seen(mtime), at(mtime - 5 * M - 1)).state).toBe('down');
    expect(evaluateCheck(fresh, seen(mtime), at(mtime - 5 * M)).state).toBe('up');
  });

  it('a missing artifact observed inside a window is down only after the window', () => {
    const c = config({ type: 'freshness', maxAgeSeconds: 3600, maintenance: [win(T - M, T + H)] });
    const e = evaluateCheck(c, seen(null), at(T));
    expect([e.state, e.downAt?.getTime(), e.nextChangeAt?.getTime()]).toEqual(['up', T + H, T + H + 1]);
    expect(evaluateCheck(c, seen(null), at(T + H + 1)).state).toBe('down');
  });

  it('no usable maximum age: down, saying so', () => {
    for (const maxAgeSeconds of [null, undefined, Number.NaN, -1]) {
      const e = evaluateCheck(config({ type: 'freshness', maxAgeSeconds }), seen(T - M), at(T));
      expect([e.state, e.reason, e.nextChangeAt], String(maxAgeSeconds)).toEqual(['down', 'no maximum age is set for the artifact', null]);
    }
  });
});

describe('applyPing at its boundaries', () => {
  it('a start is neither a failure nor too fast; a finish in the same millisecond lasts 0 s', () => {
    const c = config({ minRuntimeSeconds: 10 });
    const started = applyPing(c, empty, { kind: 'start', exitStatus: null, at: at(T) });
    expect([started.failed, started.tooFast, started.durationSeconds]).toEqual([false, false, null]);
    const done = applyPing(c, started.history, { kind: 'success', exitStatus: null, at: at(T) });
    expect([done.durationSeconds, done.tooFast, done.failed]).toEqual([0, true, true]);
    const later = applyPing(c, started.history, { kind: 'success', exitStatus: null, at: at(T + 10 * S) });
    expect([later.durationSeconds, later.tooFast, later.failed]).toEqual([10, false, false]);
  });
  it('a finish stamped before its start (clock skew) has no duration and is not too fast', () => {
    const c = config({ minRuntimeSeconds: 10 });
    const started = applyPing(c, empty, { kind: 'start', exitStatus: null, at: at(T) });
    const skewed = applyPing(c, started.history, { kind: 'success', exitStatus: null, at: at(T - 1) });
    expect([skewed.durationSeconds, skewed.tooFast, skewed.failed]).toEqual([null, false, false]);
  });
});
