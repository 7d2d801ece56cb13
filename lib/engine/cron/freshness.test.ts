import { describe, expect, it } from 'vitest';
import { evaluateFreshness, freshnessChangesAt } from './freshness';

const NOW = new Date('2026-12-02T12:00:00.000Z');
const H = 3_600_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const MAX = 36 * 3600;

describe('evaluateFreshness', () => {
  it('missing when there is no mtime', () => {
    expect(evaluateFreshness(null, MAX, NOW)).toEqual({ status: 'missing', ageSeconds: null, maxAgeSeconds: MAX, reason: 'missing' });
  });
  it('treats an invalid Date as missing', () => {
    expect(evaluateFreshness(new Date(Number.NaN), MAX, NOW).status).toBe('missing');
  });
  it('fresh with the age in the sentence', () => {
    expect(evaluateFreshness(ago(2 * H + 5 * 60_000 + 30_000), MAX, NOW)).toEqual({ status: 'fresh', ageSeconds: 7530, maxAgeSeconds: MAX, reason: 'modified 2h 5m ago (max 36h)' });
  });
  it('exactly maxAge old is fresh; 1 ms older is stale', () => {
    expect(evaluateFreshness(ago(36 * H), MAX, NOW).status).toBe('fresh');
    expect(evaluateFreshness(ago(36 * H - 1), MAX, NOW).status).toBe('fresh');
    const stale = evaluateFreshness(ago(36 * H + 1), MAX, NOW);
    expect(stale).toEqual({ status: 'stale', ageSeconds: 36 * 3600, maxAgeSeconds: MAX, reason: 'modified 1d 12h ago (max 36h)' });
    expect(evaluateFreshness(ago(36 * H + 1000), MAX, NOW).status).toBe('stale');
  });
  it('maxAge 0: only a file modified at now (or slightly ahead) is fresh', () => {
    expect(evaluateFreshness(NOW, 0, NOW).status).toBe('fresh');
    expect(evaluateFreshness(ago(1), 0, NOW).status).toBe('stale');
  });
  it('the future tolerance boundary is exact: at now + 300 s believed, 1 ms more is future', () => {
    const atTol = evaluateFreshness(ago(-300_000), MAX, NOW);
    expect(atTol).toEqual({ status: 'fresh', ageSeconds: -300, maxAgeSeconds: MAX, reason: 'modified 5m in the future, within the 5m clock-skew allowance (max 36h)' });
    expect(evaluateFreshness(ago(-299_999), MAX, NOW).status).toBe('fresh');
    const fut = evaluateFreshness(ago(-300_001), MAX, NOW);
    expect(fut.status).toBe('future');
    expect(fut.ageSeconds).toBe(-300);
  });
  it('says future plainly', () => {
    expect(evaluateFreshness(ago(-3 * H), MAX, NOW)).toEqual({ status: 'future', ageSeconds: -10800, maxAgeSeconds: MAX, reason: 'modified 3h in the future (clock skew or a forged timestamp)' });
  });
  it('a custom tolerance, including 0', () => {
    expect(evaluateFreshness(ago(-1), MAX, NOW, 0).status).toBe('future');
    expect(evaluateFreshness(NOW, MAX, NOW, 0).status).toBe('fresh');
    expect(evaluateFreshness(ago(-3 * H), MAX, NOW, 4 * 3600).status).toBe('fresh');
  });
  it('never reports -0 for an age a few ms ahead', () => {
    expect(Object.is(evaluateFreshness(ago(-5), MAX, NOW).ageSeconds, 0)).toBe(true);
  });
  it('truncates the age toward zero', () => {
    expect(evaluateFreshness(ago(1999), MAX, NOW).ageSeconds).toBe(1);
    expect(evaluateFreshness(ago(-1999), MAX, NOW).ageSeconds).toBe(-1);
    expect(evaluateFreshness(ago(250), MAX, NOW).reason).toBe('modified 250ms ago (max 36h)');
  });
  it('refuses a broken max age or tolerance', () => {
    expect(() => evaluateFreshness(NOW, -1, NOW)).toThrow(RangeError);
    expect(() => evaluateFreshness(NOW, Number.NaN, NOW)).toThrow(/maxAgeSeconds/);
    expect(() => evaluateFreshness(NOW, MAX, NOW, -1)).toThrow(/futureToleranceSeconds/);
  });
});

describe('freshnessChangesAt', () => {
  it('fresh → the first stale millisecond, mtime + maxAge + 1 ms', () => {
    const m = ago(H);
    const at = freshnessChangesAt(m, MAX, NOW)!;
    expect(at.toISOString()).toBe(new Date(m.getTime() + 36 * H + 1).toISOString());
    expect(evaluateFreshness(m, MAX, new Date(at.getTime() - 1)).status).toBe('fresh');
    expect(evaluateFreshness(m, MAX, at).status).toBe('stale');
  });
  it('future → the instant it becomes believable', () => {
    const m = ago(-3 * H);
    const at = freshnessChangesAt(m, MAX, NOW)!;
    expect(evaluateFreshness(m, MAX, new Date(at.getTime() - 1)).status).toBe('future');
    expect(evaluateFreshness(m, MAX, at).status).toBe('fresh');
  });
  it('missing and stale never change by themselves', () => {
    expect(freshnessChangesAt(null, MAX, NOW)).toBeNull();
    expect(freshnessChangesAt(ago(40 * H), MAX, NOW)).toBeNull();
  });
});
