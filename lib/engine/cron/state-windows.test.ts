import { describe, expect, it } from 'vitest';
import { evaluateCheck } from './state';
import { at, config, empty, finished, H, M, stateAt, T, win } from './state-fixtures';
import type { CheckConfig, CheckHistory, Schedule } from './types';

describe('evaluateCheck: maintenance windows', () => {
  const E = T + H; // late deadline
  const D = E + 5 * M; // down deadline
  const h = finished(T);
  it('a late deadline inside a window moves to its end', () => {
    const c = config({ maintenance: [win(E - 10 * M, E + 30 * M)] });
    expect(stateAt(c, h, E + 1)).toBe('up');
    expect(stateAt(c, h, E + 30 * M)).toBe('up');
    expect(stateAt(c, h, E + 30 * M + 1)).toBe('down'); // the down deadline E+5m was inside too
    const e = evaluateCheck(c, h, at(T));
    expect(e.lateAt).toEqual(at(E + 30 * M));
    expect(e.downAt).toEqual(at(E + 30 * M));
    expect(e.nextChangeAt).toEqual(at(E + 30 * M + 1));
    expect(e.reason).toBe('last ping 2026-12-01 05:16 UTC; next expected 2026-12-01 06:16 UTC, late after 06:46 UTC, down after 06:46 UTC');
  });
  it('only the down deadline inside: late as usual, down after the window', () => {
    const c = config({ maintenance: [win(E + 2 * M, E + 20 * M)] });
    expect(stateAt(c, h, E + 1)).toBe('late');
    expect(stateAt(c, h, D + 1)).toBe('late');
    expect(stateAt(c, h, E + 20 * M)).toBe('late');
    expect(stateAt(c, h, E + 20 * M + 1)).toBe('down');
    expect(evaluateCheck(c, h, at(E + 3 * M)).reason).toBe('no ping since 2026-12-01 05:16 UTC; expected 2026-12-01 06:16 UTC, down after 06:36 UTC; in maintenance until 2026-12-01 06:36 UTC');
  });
  it('a window starting after a deadline changes nothing: down stays down', () => {
    const c = config({ maintenance: [win(D + M, D + H)] });
    expect(stateAt(c, h, D + 2 * M)).toBe('down');
  });
  it('exact edges: a deadline at start is moved, at end it is not (same effect), 1 ms before start it fires at start', () => {
    expect(stateAt(config({ maintenance: [win(E, E + H)] }), h, E + 1)).toBe('up');
    expect(stateAt(config({ maintenance: [win(E - H, E)] }), h, E + 1)).toBe('late');
    expect(stateAt(config({ maintenance: [win(E + 1, E + H)] }), h, E + 1)).toBe('late');
  });
  it('overlapping and touching windows are merged, so a moved deadline never lands in another', () => {
    const c = config({ maintenance: [win(E + 50 * M, E + 2 * H), win(E - M, E + 30 * M), win(E + 30 * M, E + 50 * M)] });
    expect(stateAt(c, h, E + 2 * H)).toBe('up');
    expect(stateAt(c, h, E + 2 * H + 1)).toBe('down');
  });
  it('ignores windows that end before they start', () => {
    expect(stateAt(config({ maintenance: [win(E + H, E - H), { start: new Date(Number.NaN), end: at(E + H) }] }), h, E + 1)).toBe('late');
  });
  it('a failure reported inside a window goes down when the window ends', () => {
    const c = config({ maintenance: [win(T - M, T + 10 * M)] });
    const hf = finished(T, { lastFinishFailed: true, consecutiveFailures: 1 });
    const e = evaluateCheck(c, hf, at(T));
    expect(e.state).toBe('up');
    expect(e.reason).toBe('1 consecutive failure, the last at 2026-12-01 05:16 UTC; down when maintenance ends; in maintenance until 2026-12-01 05:26 UTC');
    expect(e.downAt).toEqual(at(T + 10 * M));
    expect(e.nextChangeAt).toEqual(at(T + 10 * M + 1));
    expect(stateAt(c, hf, T + 10 * M + 1)).toBe('down');
  });
  it('a failure before a window is down through it', () => {
    expect(stateAt(config({ maintenance: [win(T + M, T + H)] }), finished(T, { lastFinishFailed: true, consecutiveFailures: 1 }), T + 2 * M)).toBe('down');
  });
  it('max runtime ending inside a window waits for its end', () => {
    const c = config({ maxRuntimeSeconds: 600, maintenance: [win(T + 5 * M, T + H)] });
    const hs = { ...empty, openStartAt: at(T) };
    expect(stateAt(c, hs, T + 30 * M)).toBe('started');
    expect(stateAt(c, hs, T + H + 1)).toBe('down');
  });
});

describe('evaluateCheck: freshness checks', () => {
  const NOW = Date.parse('2026-12-02T12:00:00Z');
  const fc = (over: Partial<CheckConfig> = {}) => config({ type: 'freshness', maxAgeSeconds: 36 * 3600, ...over });
  const obs = (mtime: number | null, observed = NOW): CheckHistory => ({ ...empty, artifactMtime: mtime === null ? null : at(mtime), observedAt: at(observed) });
  it('never observed → new', () => {
    expect(evaluateCheck(fc(), empty, at(NOW))).toMatchObject({ state: 'new', reason: 'not observed yet', nextChangeAt: null });
  });
  it('fresh → up until 1 ms after mtime + maxAge', () => {
    const m = NOW - 2 * H - 5 * M;
    const e = evaluateCheck(fc(), obs(m), at(NOW));
    expect(e).toEqual({ state: 'up', reason: 'modified 2h 5m ago (max 36h); observed 2026-12-02 12:00 UTC', expectedAt: at(m + 36 * H), lateAt: null, downAt: at(m + 36 * H), nextChangeAt: at(m + 36 * H + 1) });
    expect(stateAt(fc(), obs(m), m + 36 * H)).toBe('up');
    expect(stateAt(fc(), obs(m), m + 36 * H + 1)).toBe('down');
  });
  it('stale, missing and future are down with the verdict\'s reason', () => {
    expect(evaluateCheck(fc(), obs(NOW - 40 * H), at(NOW))).toMatchObject({ state: 'down', reason: 'modified 1d 16h ago (max 36h); observed 2026-12-02 12:00 UTC', nextChangeAt: null });
    expect(evaluateCheck(fc(), obs(null), at(NOW))).toMatchObject({ state: 'down', reason: 'artifact missing; observed 2026-12-02 12:00 UTC', nextChangeAt: null });
    const fut = evaluateCheck(fc(), obs(NOW + 3 * H), at(NOW));
    expect(fut).toMatchObject({ state: 'down', reason: 'modified 3h in the future (clock skew or a forged timestamp); observed 2026-12-02 12:00 UTC' });
    // It becomes believable (fresh) once now reaches mtime - 5 min.
    expect(fut.nextChangeAt).toEqual(at(NOW + 3 * H - 5 * M));
  });
  it('a future mtime within the 5 min allowance is fresh', () => {
    expect(stateAt(fc(), obs(NOW + 5 * M), NOW)).toBe('up');
    expect(stateAt(fc(), obs(NOW + 5 * M + 1), NOW)).toBe('down');
  });
  it('no max age is a visible configuration error', () => {
    expect(evaluateCheck(fc({ maxAgeSeconds: null }), obs(NOW), at(NOW))).toMatchObject({ state: 'down', reason: 'no maximum age is set for the artifact' });
  });
  it('windows defer the stale deadline and a bad observation made inside them', () => {
    const m = NOW - 35 * H;
    const c = fc({ maintenance: [win(NOW + 30 * M, NOW + 2 * H)] });
    expect(stateAt(c, obs(m), NOW + H + 1)).toBe('up');
    expect(stateAt(c, obs(m), NOW + 2 * H + 1)).toBe('down');
    const inWin = fc({ maintenance: [win(NOW - M, NOW + H)] });
    const e = evaluateCheck(inWin, obs(null), at(NOW));
    expect(e).toMatchObject({ state: 'up', downAt: at(NOW + H), nextChangeAt: at(NOW + H + 1) });
    expect(e.reason).toBe('artifact missing; observed 2026-12-02 12:00 UTC; in maintenance until 2026-12-02 13:00 UTC');
  });
});

describe('evaluateCheck: nextChangeAt agrees with the state function', () => {
  // Deterministic pseudo-random configs and histories; for each, the state is constant from now
  // up to nextChangeAt - 1 ms (sampled) and differs at nextChangeAt.
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const pick = <X,>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)]!;
  it('holds for 400 random cases', () => {
    for (let i = 0; i < 400; i++) {
      const schedule: Schedule = rnd() < 0.5 ? { kind: 'period', periodSeconds: pick([60, 3600, 86_400]), graceSeconds: pick([0, 60, 300, 3600]) } : { kind: 'cron', expression: pick(['15 5 * * *', '*/10 * * * *', '30 3 * * *']), timezone: pick(['UTC', 'Europe/Riga', 'America/New_York']), graceSeconds: pick([0, 600, 3600]) };
      const maintenance = rnd() < 0.5 ? [win(T + Math.floor(rnd() * 4 * H), T + Math.floor(rnd() * 8 * H))] : [];
      const c = config({ schedule, maintenance, failureThreshold: pick([1, 2, 3]), maxRuntimeSeconds: pick([null, 600, 7200]) });
      const failed = rnd() < 0.3;
      const h: CheckHistory = { lastFinishAt: at(T), lastFinishFailed: failed, consecutiveFailures: failed ? pick([1, 2, 3]) : 0, openStartAt: rnd() < 0.3 ? at(T + Math.floor(rnd() * 3 * H)) : null };
      const now = T + Math.floor(rnd() * 6 * H);
      const e = evaluateCheck(c, h, at(now));
      if (e.nextChangeAt === null) {
        expect(stateAt(c, h, now + 400 * 24 * H), JSON.stringify({ c, h, now })).toBe(e.state);
        continue;
      }
      const n = e.nextChangeAt.getTime();
      expect(n).toBeGreaterThan(now);
      for (const t of [now, Math.floor((now + n) / 2), n - 1]) expect(stateAt(c, h, t)).toBe(e.state);
      expect(stateAt(c, h, n)).not.toBe(e.state);
    }
  });
  it('holds for 300 random freshness cases', () => {
    const NOW = T + 10 * H;
    for (let i = 0; i < 300; i++) {
      const maintenance = rnd() < 0.5 ? [win(NOW - Math.floor(rnd() * 2 * H), NOW + Math.floor(rnd() * 40 * H))] : [];
      const c = config({ type: 'freshness', maxAgeSeconds: pick([0, 60, 3600, 36 * 3600]), maintenance });
      const mtime = rnd() < 0.2 ? null : at(NOW + Math.floor((rnd() - 0.7) * 48 * H));
      const h: CheckHistory = { ...empty, artifactMtime: mtime, observedAt: at(NOW - Math.floor(rnd() * H)) };
      const now = NOW + Math.floor(rnd() * 4 * H);
      const e = evaluateCheck(c, h, at(now));
      if (e.nextChangeAt === null) {
        expect(stateAt(c, h, now + 400 * 24 * H)).toBe(e.state);
        continue;
      }
      const n = e.nextChangeAt.getTime();
      expect(n).toBeGreaterThan(now);
      for (const t of [now, Math.floor((now + n) / 2), n - 1]) expect(stateAt(c, h, t)).toBe(e.state);
      expect(stateAt(c, h, n)).not.toBe(e.state);
    }
  });
});
