import { describe, expect, it } from 'vitest';
import { evaluateCheck } from './state';
import { at, config, empty, finished, H, M, stateAt, T, win } from './state-fixtures';
import type { Schedule } from './types';

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('evaluateCheck: paused and new', () => {
  it('paused wins over everything and never changes by itself', () => {
    expect(evaluateCheck(config({ paused: true }), finished(T - 100 * H), at(T))).toEqual({ state: 'paused', reason: 'paused: no alerts until it is resumed', expectedAt: null, lateAt: null, downAt: null, nextChangeAt: null });
  });
  it('a check that never pinged is new forever, however old', () => {
    const e = evaluateCheck(config({ createdAt: at(0) }), empty, at(T + 1000 * H));
    expect(e).toEqual({ state: 'new', reason: 'no ping yet', expectedAt: null, lateAt: null, downAt: null, nextChangeAt: null });
  });
  it('new ignores maintenance windows in its reason', () => {
    expect(evaluateCheck(config({ maintenance: [win(T - H, T + H)] }), empty, at(T)).reason).toBe('no ping yet');
  });
});

describe('evaluateCheck: period 1h, grace 5m, last success at T', () => {
  const c = config();
  const h = finished(T);
  const E = T + H;
  const D = E + 5 * M;
  it.each([
    [T, 'up'], [E - 1, 'up'], [E, 'up'], [E + 1, 'late'], [D - 1, 'late'], [D, 'late'], [D + 1, 'down'], [D + 1000 * H, 'down'],
  ] as const)('at T%+d ms → %s', (ms, state) => {
    expect(stateAt(c, h, ms)).toBe(state);
  });
  it('up: the sentence, the deadlines and the first late millisecond', () => {
    expect(evaluateCheck(c, h, at(T))).toEqual({
      state: 'up',
      reason: 'last ping 2026-12-01 05:16 UTC; next expected 2026-12-01 06:16 UTC, down after 06:21 UTC',
      expectedAt: at(E),
      lateAt: at(E),
      downAt: at(D),
      nextChangeAt: at(E + 1),
    });
    expect(iso(evaluateCheck(c, h, at(E)).nextChangeAt)).toBe(iso(at(E + 1)));
  });
  it('late: says since when, and changes 1 ms after the grace', () => {
    const e = evaluateCheck(c, h, at(E + 1));
    expect(e.reason).toBe('no ping since 2026-12-01 05:16 UTC; expected 2026-12-01 06:16 UTC, down after 06:21 UTC');
    expect(e.nextChangeAt).toEqual(at(D + 1));
    expect(evaluateCheck(c, h, at(D)).nextChangeAt).toEqual(at(D + 1));
  });
  it('down: stays down, no next change', () => {
    const e = evaluateCheck(c, h, at(D + 1));
    expect(e.reason).toBe('no ping since 2026-12-01 05:16 UTC; expected 2026-12-01 06:16 UTC, down since 06:21 UTC');
    expect(e.nextChangeAt).toBeNull();
  });
  it('grace 0: never late, down 1 ms after the expected time', () => {
    const c0 = config({ schedule: { kind: 'period', periodSeconds: 3600, graceSeconds: 0 } });
    expect(stateAt(c0, h, E)).toBe('up');
    expect(stateAt(c0, h, E + 1)).toBe('down');
    expect(evaluateCheck(c0, h, at(T)).nextChangeAt).toEqual(at(E + 1));
  });
  it('names the full date when the deadline falls on another UTC day', () => {
    const late = config({ schedule: { kind: 'period', periodSeconds: 18 * 3600, graceSeconds: 3 * 3600 } });
    expect(evaluateCheck(late, finished(Date.parse('2026-12-01T05:16:00Z')), at(T)).reason).toBe('last ping 2026-12-01 05:16 UTC; next expected 2026-12-01 23:16 UTC, down after 2026-12-02 02:16 UTC');
  });
});

describe('evaluateCheck: cron schedules', () => {
  const riga: Schedule = { kind: 'cron', expression: '15 5 * * *', timezone: 'Europe/Riga', graceSeconds: 3600 };
  it('expects the next fire time after the ping, in the zone', () => {
    const e = evaluateCheck(config({ schedule: riga }), finished(Date.parse('2026-12-01T03:16:00Z')), at(Date.parse('2026-12-01T12:00:00Z')));
    // In the schedule's zone, as the crontab line reads ("15 5 * * *" in Riga: 05:15, down after 06:15).
    expect(e.reason).toBe('last ping 2026-12-01 05:16 Europe/Riga; next expected 2026-12-02 05:15 Europe/Riga, down after 06:15 Europe/Riga');
    expect(iso(e.expectedAt)).toBe('2026-12-02T03:15:00.000Z');
    expect(iso(e.downAt)).toBe('2026-12-02T04:15:00.000Z');
    expect(iso(e.nextChangeAt)).toBe('2026-12-02T03:15:00.001Z');
  });
  it('Riga spring-forward: `30 3 * * *` is expected at 04:00 EEST (01:00 UTC) and late/down from there', () => {
    const c = config({ schedule: { kind: 'cron', expression: '30 3 * * *', timezone: 'Europe/Riga', graceSeconds: 1800 } });
    const h = finished(Date.parse('2026-03-28T01:31:00Z'));
    const E = Date.parse('2026-03-29T01:00:00Z');
    expect(stateAt(c, h, E)).toBe('up');
    expect(stateAt(c, h, E + 1)).toBe('late');
    expect(stateAt(c, h, E + 30 * M)).toBe('late');
    expect(stateAt(c, h, E + 30 * M + 1)).toBe('down');
  });
  it('New York fall-back: `30 1 * * *` is expected at the first 01:30 (EDT); grace 1h ends at the second 01:30 (EST)', () => {
    const c = config({ schedule: { kind: 'cron', expression: '30 1 * * *', timezone: 'America/New_York', graceSeconds: 3600 } });
    const h = finished(Date.parse('2026-10-31T05:31:00Z'));
    const e = evaluateCheck(c, h, at(Date.parse('2026-10-31T12:00:00Z')));
    expect(iso(e.expectedAt)).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(e.downAt)).toBe('2026-11-01T06:30:00.000Z');
    // Both are 01:30 on the wall clock: near the clock change the sentence names the offset.
    expect(e.reason).toBe('last ping 2026-10-31 01:31 America/New_York; next expected 2026-11-01 01:30 America/New_York (GMT-4), down after 01:30 America/New_York (GMT-5)');
    expect(stateAt(c, h, Date.parse('2026-11-01T06:30:00.000Z'))).toBe('late');
    expect(stateAt(c, h, Date.parse('2026-11-01T06:30:00.001Z'))).toBe('down');
  });
  it('a schedule that cannot be evaluated is down with the reason, not a crash', () => {
    const c = config({ schedule: { kind: 'cron', expression: '0 0 30 2 *', timezone: 'UTC', graceSeconds: 0 } });
    const e = evaluateCheck(c, finished(T), at(T));
    expect(e.state).toBe('down');
    expect(e.reason).toMatch(/^the schedule cannot be evaluated: cron "0 0 30 2 \*" never fires/);
    expect(e.nextChangeAt).toBeNull();
    expect(evaluateCheck(config({ schedule: { kind: 'cron', expression: '0 0 * * *', timezone: 'Nope/Zone', graceSeconds: 0 } }), finished(T), at(T)).state).toBe('down');
    expect(evaluateCheck(config({ schedule: { kind: 'period', periodSeconds: Number.NaN, graceSeconds: 0 } }), finished(T), at(T)).reason).toBe('the schedule cannot be evaluated: period NaN is not a number of seconds > 0');
    expect(evaluateCheck(config({ schedule: { kind: 'period', periodSeconds: 60, graceSeconds: Number.NaN } }), { ...empty, openStartAt: at(T) }, at(T)).state).toBe('down');
    expect(stateAt(config({ maxRuntimeSeconds: Number.NaN }), { ...empty, openStartAt: at(T) }, T + 5 * M)).toBe('started');
  });
});

describe('evaluateCheck: failure threshold', () => {
  it('below the threshold: up with "N of M failures before down" and normal deadlines', () => {
    const c = config({ failureThreshold: 3 });
    const e = evaluateCheck(c, finished(T, { lastFinishFailed: true, consecutiveFailures: 1 }), at(T));
    expect(e.state).toBe('up');
    expect(e.reason).toBe('last ping 2026-12-01 05:16 UTC failed (1 of 3 failures before down); next expected 2026-12-01 06:16 UTC, down after 06:21 UTC');
    expect(e.nextChangeAt).toEqual(at(T + H + 1));
    expect(stateAt(c, finished(T, { lastFinishFailed: true, consecutiveFailures: 2 }), T + H + 5 * M + 1)).toBe('down');
  });
  it('at the threshold: down at once, at the failure itself', () => {
    const c = config({ failureThreshold: 3 });
    const h = finished(T, { lastFinishFailed: true, consecutiveFailures: 3 });
    expect(stateAt(c, h, T - 1)).toBe('up');
    const e = evaluateCheck(c, h, at(T));
    expect(e).toMatchObject({ state: 'down', reason: '3 consecutive failures, the last at 2026-12-01 05:16 UTC', lateAt: null, downAt: null, nextChangeAt: null });
    expect(e.expectedAt).toEqual(at(T + H));
  });
  it('threshold 1 (and nonsense thresholds) mean the first failure', () => {
    for (const failureThreshold of [1, 0, -3, Number.NaN]) {
      const e = evaluateCheck(config({ failureThreshold }), finished(T, { lastFinishFailed: true, consecutiveFailures: 1 }), at(T));
      expect(e.state).toBe('down');
      expect(e.reason).toBe('1 consecutive failure, the last at 2026-12-01 05:16 UTC');
    }
  });
  it('a failed finish with a zero count still counts as one failure', () => {
    expect(stateAt(config(), finished(T, { lastFinishFailed: true, consecutiveFailures: 0 }), T)).toBe('down');
  });
  it('a new start does not lift a failure-down; only a success does', () => {
    const c = config({ failureThreshold: 2, maxRuntimeSeconds: 7200 });
    const h = finished(T, { lastFinishFailed: true, consecutiveFailures: 2, openStartAt: at(T + H) });
    const e = evaluateCheck(c, h, at(T + H + 1));
    expect(e.state).toBe('down');
    expect(e.reason).toBe('2 consecutive failures, the last at 2026-12-01 05:16 UTC; a new run started 2026-12-01 06:16 UTC');
    expect(e.nextChangeAt).toBeNull();
  });
});

describe('evaluateCheck: start pings and max runtime', () => {
  const c = config({ maxRuntimeSeconds: 7200 });
  const St = T + 2 * H; // started after the check would have been late and down
  const h = finished(T, { openStartAt: at(St) });
  it('started is never late: it holds until start + max runtime, then down', () => {
    expect(stateAt(c, h, St)).toBe('started');
    expect(stateAt(c, h, St + 2 * H)).toBe('started');
    expect(stateAt(c, h, St + 2 * H + 1)).toBe('down');
  });
  it('says when it goes down, and why once it has', () => {
    expect(evaluateCheck(c, h, at(St))).toEqual({
      state: 'started',
      reason: 'started 2026-12-01 07:16 UTC; down if not finished by 09:16 UTC (max runtime 2h)',
      expectedAt: at(St + 2 * H),
      lateAt: null,
      downAt: at(St + 2 * H),
      nextChangeAt: at(St + 2 * H + 1),
    });
    const down = evaluateCheck(c, h, at(St + 2 * H + 1));
    expect(down.reason).toBe('running for longer than max runtime 2h (started 2026-12-01 07:16 UTC)');
    expect(down.nextChangeAt).toBeNull();
  });
  it('without a max runtime the grace is the limit', () => {
    const g = config();
    expect(stateAt(g, h, St + 5 * M)).toBe('started');
    expect(stateAt(g, h, St + 5 * M + 1)).toBe('down');
    expect(evaluateCheck(g, h, at(St + 5 * M + 1)).reason).toBe('running for longer than max runtime 5m, the grace (started 2026-12-01 07:16 UTC)');
  });
  it('a start on a new check is started, not new', () => {
    expect(stateAt(c, { ...empty, openStartAt: at(T) }, T)).toBe('started');
  });
  it('a start below the failure threshold is started', () => {
    expect(stateAt(config({ failureThreshold: 3 }), finished(T, { lastFinishFailed: true, consecutiveFailures: 2, openStartAt: at(T + M) }), T + M)).toBe('started');
  });
  it('a start older than the last finish is not open (inconsistent rows are read safely)', () => {
    expect(stateAt(c, finished(T, { openStartAt: at(T - M) }), T)).toBe('up');
    expect(stateAt(c, finished(T, { openStartAt: at(T) }), T)).toBe('started');
  });
});
