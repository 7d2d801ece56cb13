/**
 * The demo's weeks (weeks.ts) and the perf plan built on them: the same runs, measured values and
 * merges whatever weekday the demo starts on.
 */
import { describe, expect, it } from 'vitest';
import { landed, planPerfRuns, PERF_IMPORTED_DAYS, CHANGES } from './perf-plan';
import { isDemoWeekend, isDemoWeekendAt, isDemoWeekStart } from './weeks';

const DAY = 86_400_000;
const MONDAY = Date.parse('2026-10-05T00:00:00Z');

describe('demo weeks', () => {
  it('count from the first CI day, before it too', () => {
    const days = [-9, -8, -7, -2, -1, 0, 1, 4, 5, 6, 7, 12, 13, 14];
    expect(days.map(isDemoWeekend)).toEqual([true, true, false, true, true, false, false, false, true, true, false, true, true, false]);
    expect(days.map(isDemoWeekStart)).toEqual([false, false, true, false, false, true, false, false, false, false, true, false, false, true]);
    expect(isDemoWeekend(5.99)).toBe(true);
    expect(isDemoWeekend(4.99)).toBe(false);
    // An instant is in the day it falls in, counted from the first day's midnight.
    expect(isDemoWeekendAt(MONDAY + 5 * DAY - 1, MONDAY)).toBe(false);
    expect(isDemoWeekendAt(MONDAY + 5 * DAY, MONDAY)).toBe(true);
    expect(isDemoWeekendAt(MONDAY + 7 * DAY, MONDAY)).toBe(false);
  });

  it('a change merges on its day, or on the first working day after a quiet one, at the same hour', () => {
    // Perf day d is CI day d − PERF_IMPORTED_DAYS (30): CI day 5 (quiet) is perf day 35.
    expect(landed(0, PERF_IMPORTED_DAYS + 4.5)).toBe(PERF_IMPORTED_DAYS + 4.5);
    expect(landed(0, PERF_IMPORTED_DAYS + 5.5)).toBe(PERF_IMPORTED_DAYS + 7.5);
    expect(landed(0, PERF_IMPORTED_DAYS + 6.25)).toBe(PERF_IMPORTED_DAYS + 7.25);
    for (const c of Object.values(CHANGES)) expect(isDemoWeekend(landed(0, c.day) - PERF_IMPORTED_DAYS), JSON.stringify(c)).toBe(false);
  });

  it('the perf plan is the same for every weekday the demo starts on', () => {
    const relative = (day0: number) => planPerfRuns(day0).map((r) => ({ ...r, atMs: r.atMs - day0 }));
    const first = relative(MONDAY - PERF_IMPORTED_DAYS * DAY);
    expect(first.length).toBeGreaterThan(200);
    for (let i = 1; i < 7; i++) {
      const day0 = MONDAY + i * DAY - PERF_IMPORTED_DAYS * DAY;
      expect(relative(day0), new Date(day0).toUTCString()).toEqual(first);
    }
  });
});
