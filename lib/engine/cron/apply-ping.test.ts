import { describe, expect, it } from 'vitest';
import { applyPing } from './apply-ping';
import { at, config, empty, finished, H, M, S, stateAt, T } from './state-fixtures';

describe('applyPing', () => {
  const c = config({ minRuntimeSeconds: 60 });
  const ping = (kind: 'success' | 'start' | 'fail' | 'log', ms: number, exitStatus: number | null = null) => ({ kind, exitStatus, at: at(ms) });
  it('log changes nothing', () => {
    const h = finished(T);
    expect(applyPing(c, h, ping('log', T + M))).toEqual({ history: h, tooFast: false, failed: false, durationSeconds: null });
  });
  it('start opens a run, replacing an older open start', () => {
    expect(applyPing(c, finished(T), ping('start', T + M)).history).toEqual(finished(T, { openStartAt: at(T + M) }));
    expect(applyPing(c, finished(T, { openStartAt: at(T + M) }), ping('start', T + 2 * M)).history.openStartAt).toEqual(at(T + 2 * M));
  });
  it('success closes the run with its duration and resets the failures', () => {
    const r = applyPing(c, finished(T, { openStartAt: at(T + M), lastFinishFailed: true, consecutiveFailures: 4 }), ping('success', T + 3 * M + 500));
    expect(r).toEqual({ history: { lastFinishAt: at(T + 3 * M + 500), lastFinishFailed: false, openStartAt: null, consecutiveFailures: 0 }, tooFast: false, failed: false, durationSeconds: 120.5 });
  });
  it('fail counts up, with or without a start', () => {
    const one = applyPing(c, finished(T), ping('fail', T + M));
    expect(one).toEqual({ history: { lastFinishAt: at(T + M), lastFinishFailed: true, openStartAt: null, consecutiveFailures: 1 }, tooFast: false, failed: true, durationSeconds: null });
    expect(applyPing(c, one.history, ping('fail', T + 2 * M)).history.consecutiveFailures).toBe(2);
  });
  it.each([[0, false], [1, true], [255, true], [3, true]] as const)('exit status %d → failed %s', (status, failed) => {
    expect(applyPing(c, empty, ping('success', T, status)).failed).toBe(failed);
    expect(applyPing(c, empty, ping('success', T, status)).history.lastFinishFailed).toBe(failed);
  });
  it('minimum runtime: exactly the minimum is fine, 1 ms less is too fast and a failure', () => {
    const started = { ...empty, openStartAt: at(T) };
    expect(applyPing(c, started, ping('success', T + 60 * S))).toMatchObject({ tooFast: false, failed: false, durationSeconds: 60 });
    const fast = applyPing(c, started, ping('success', T + 60 * S - 1));
    expect(fast).toMatchObject({ tooFast: true, failed: true, durationSeconds: 59.999 });
    expect(fast.history).toMatchObject({ lastFinishFailed: true, consecutiveFailures: 1 });
    expect(applyPing(c, started, ping('success', T + 59 * S, 0)).tooFast).toBe(true);
  });
  it('too fast needs a start, and is never said of a reported failure', () => {
    expect(applyPing(c, empty, ping('success', T)).tooFast).toBe(false);
    expect(applyPing(c, { ...empty, openStartAt: at(T) }, ping('fail', T + S))).toMatchObject({ tooFast: false, failed: true });
    expect(applyPing(config({ minRuntimeSeconds: null }), { ...empty, openStartAt: at(T) }, ping('success', T + 1)).tooFast).toBe(false);
  });
  it('a start later than the finish (clock skew) gives no duration', () => {
    expect(applyPing(c, { ...empty, openStartAt: at(T + M) }, ping('success', T)).durationSeconds).toBeNull();
  });
  it('drives the state machine end to end: 3 failures to down, a success back to up', () => {
    const c3 = config({ failureThreshold: 3 });
    let h = empty;
    const states: string[] = [];
    for (const [kind, ms] of [['start', T], ['fail', T + M], ['fail', T + H], ['fail', T + 2 * H], ['start', T + 3 * H], ['success', T + 3 * H + M]] as const) {
      h = applyPing(c3, h, ping(kind, ms)).history;
      states.push(stateAt(c3, h, ms));
    }
    expect(states).toEqual(['started', 'up', 'up', 'down', 'down', 'up']);
  });
});
