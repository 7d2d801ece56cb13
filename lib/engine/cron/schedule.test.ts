import { describe, expect, it } from 'vitest';
import { describeSchedule, isTimeZone, nextExpected, nextTimes, ScheduleError, scheduleProblems } from './schedule';
import type { Schedule } from './types';

const DAY = 86_400;
const period = (periodSeconds: number, graceSeconds = 0): Schedule => ({ kind: 'period', periodSeconds, graceSeconds });
const cron = (expression: string, timezone = 'UTC', graceSeconds = 0): Schedule => ({ kind: 'cron', expression, timezone, graceSeconds });
const iso = (d: Date | null | undefined) => d?.toISOString();
const fields = (s: Schedule) => scheduleProblems(s).map((p) => p.field);

describe('scheduleProblems: period and grace bounds', () => {
  it.each([60, 61, 3600, 365 * DAY - 1, 365 * DAY])('accepts period %d s', (p) => {
    expect(scheduleProblems(period(p))).toEqual([]);
  });
  it.each([59, 0, -60, 365 * DAY + 1])('refuses period %d s, naming the field and the bounds', (p) => {
    expect(scheduleProblems(period(p))).toEqual([{ field: 'schedule.periodSeconds', message: expect.stringContaining('must be 1m to 365d') }]);
  });
  it('says what it got', () => {
    expect(scheduleProblems(period(59))[0]!.message).toBe('must be 1m to 365d (got 59s)');
  });
  it.each([Number.NaN, Number.POSITIVE_INFINITY, '3600' as unknown as number, null as unknown as number])('refuses non-number period %j', (p) => {
    expect(scheduleProblems(period(p))[0]).toEqual({ field: 'schedule.periodSeconds', message: 'must be a number of seconds' });
  });
  it('refuses fractional seconds', () => {
    expect(scheduleProblems(period(60.5))[0]!.message).toBe('must be a whole number of seconds (got 60.5)');
    expect(fields(period(3600, 0.5))).toEqual(['schedule.graceSeconds']);
  });
  it.each([0, 1, 365 * DAY])('accepts grace %d s', (g) => {
    expect(scheduleProblems(period(3600, g))).toEqual([]);
    expect(scheduleProblems(cron('15 5 * * *', 'UTC', g))).toEqual([]);
  });
  it.each([-1, 365 * DAY + 1])('refuses grace %d s', (g) => {
    expect(fields(period(3600, g))).toEqual(['schedule.graceSeconds']);
    expect(fields(cron('15 5 * * *', 'UTC', g))).toEqual(['schedule.graceSeconds']);
  });
  it('reports every problem at once', () => {
    expect(fields(period(10, -1))).toEqual(['schedule.periodSeconds', 'schedule.graceSeconds']);
    expect(fields(cron('61 * * * *', 'Mars/Olympus', -1))).toEqual(['schedule.timezone', 'schedule.expression', 'schedule.graceSeconds']);
  });
  it('refuses an unknown kind', () => {
    expect(fields({ kind: 'weekly' } as unknown as Schedule)).toContain('schedule.kind');
  });
});

describe('scheduleProblems: cron', () => {
  it.each(['15 5 * * *', '*/5 * * * *', '@daily', '0 0 29 2 *', ' 0 3 * * MON-FRI '])('accepts %j', (e) => {
    expect(scheduleProblems(cron(e, 'Europe/Riga'))).toEqual([]);
  });
  it('uses Steward\'s syntax messages, never croner\'s', () => {
    expect(scheduleProblems(cron('61 * * * *'))).toEqual([{ field: 'schedule.expression', message: '"61 * * * *": minute must be 0–59' }]);
  });
  it('requires an expression', () => {
    expect(scheduleProblems(cron('  '))).toEqual([{ field: 'schedule.expression', message: 'is required, e.g. "15 5 * * *"' }]);
  });
  it('refuses an expression that never fires', () => {
    expect(scheduleProblems(cron('0 0 30 2 *'))).toEqual([{ field: 'schedule.expression', message: '"0 0 30 2 *" never fires: no date matches it (e.g. 30 February)' }]);
  });
  it('refuses a very long expression without echoing it', () => {
    const p = scheduleProblems(cron(`0 ${'1,'.repeat(200)}1 * * *`));
    expect(p).toEqual([{ field: 'schedule.expression', message: 'is longer than 200 characters' }]);
  });
  it.each(['UTC', 'Etc/UTC', 'Europe/Riga', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+2', 'US/Eastern'])('accepts time zone %s', (tz) => {
    expect(isTimeZone(tz)).toBe(true);
    expect(scheduleProblems(cron('15 5 * * *', tz))).toEqual([]);
  });
  it.each(['Mars/Olympus', '+02:00', 'UTC+2', '../../etc/passwd', 'Europe/Riga\n', 'Europe/Рига', 'A'.repeat(65)])('refuses time zone %j', (tz) => {
    expect(isTimeZone(tz)).toBe(false);
    expect(fields(cron('15 5 * * *', tz))).toEqual(['schedule.timezone']);
  });
  it('requires a time zone', () => {
    expect(scheduleProblems(cron('15 5 * * *', ''))[0]!.message).toMatch(/^is required/);
  });
});

describe('nextExpected: period', () => {
  it('is the ping time plus the period, to the millisecond', () => {
    expect(iso(nextExpected(period(3600), new Date('2026-12-01T05:16:00.123Z')))).toBe('2026-12-01T06:16:00.123Z');
  });
  it('ignores DST: a 24h period is 24 real hours even across spring-forward', () => {
    expect(iso(nextExpected(period(DAY), new Date('2026-03-28T22:00:00Z')))).toBe('2026-03-29T22:00:00.000Z');
  });
});

describe('nextExpected: cron, strictly after', () => {
  const s = cron('15 5 * * *');
  it.each([
    ['2026-12-01T05:14:59.999Z', '2026-12-01T05:15:00.000Z'],
    ['2026-12-01T05:15:00.000Z', '2026-12-02T05:15:00.000Z'],
    ['2026-12-01T05:15:00.001Z', '2026-12-02T05:15:00.000Z'],
    ['2026-12-01T05:16:00.000Z', '2026-12-02T05:15:00.000Z'],
  ])('after %s → %s', (after, want) => {
    expect(iso(nextExpected(s, new Date(after)))).toBe(want);
  });
  it('every minute: 1 ms before a minute is that minute, the minute itself is the next', () => {
    const m = cron('* * * * *');
    expect(iso(nextExpected(m, new Date('2026-12-01T05:14:59.999Z')))).toBe('2026-12-01T05:15:00.000Z');
    expect(iso(nextExpected(m, new Date('2026-12-01T05:15:00.000Z')))).toBe('2026-12-01T05:16:00.000Z');
    expect(iso(nextExpected(m, new Date('2026-12-01T05:15:00.500Z')))).toBe('2026-12-01T05:16:00.000Z');
  });
  it('the UTC fast path (fixed offset) agrees with the Intl path of a zone that is always UTC', () => {
    for (const e of ['*/7 3-5 * * 1-5', '15 5 * * *', '0 0 L * *', '@weekly']) {
      const from = new Date('2026-10-20T00:00:00Z');
      const want = nextTimes(cron(e, 'Africa/Abidjan'), from, 20).map(iso);
      for (const tz of ['UTC', 'Etc/UTC', 'utc', 'GMT']) expect(nextTimes(cron(e, tz), from, 20).map(iso)).toEqual(want);
    }
  });
  it('evaluates in the time zone', () => {
    expect(iso(nextExpected(cron('15 5 * * *', 'Europe/Riga'), new Date('2026-12-01T00:00:00Z')))).toBe('2026-12-01T03:15:00.000Z');
    expect(iso(nextExpected(cron('15 5 * * *', 'Europe/Riga'), new Date('2026-07-01T00:00:00Z')))).toBe('2026-07-01T02:15:00.000Z');
  });
  it('finds a leap day years ahead', () => {
    expect(iso(nextExpected(cron('0 0 29 2 *'), new Date('2026-03-01T00:00:00Z')))).toBe('2028-02-29T00:00:00.000Z');
  });
  it('throws ScheduleError for numbers that are not durations', () => {
    expect(() => nextExpected(period(Number.NaN), new Date(0))).toThrow('period NaN is not a number of seconds > 0');
    expect(() => nextExpected(period(0), new Date(0))).toThrow(ScheduleError);
    expect(() => nextExpected(period(60, -1), new Date(0))).toThrow('grace -1 is not a number of seconds >= 0');
    expect(() => nextExpected(period(60), new Date(Number.NaN))).toThrow('the last ping time is not a valid date');
  });
  it('throws ScheduleError for a schedule that cannot run', () => {
    expect(() => nextExpected(cron('0 0 30 2 *'), new Date('2026-01-01T00:00:00Z'))).toThrow(ScheduleError);
    expect(() => nextExpected(cron('0 0 * * *', 'Mars/Olympus'), new Date('2026-01-01T00:00:00Z'))).toThrow(/cannot be evaluated/);
    expect(() => nextExpected(cron('nonsense'), new Date('2026-01-01T00:00:00Z'))).toThrow(ScheduleError);
  });
});

// Europe/Riga 2026: spring forward 03:00 EET → 04:00 EEST on 29 March (01:00 UTC);
// fall back 04:00 EEST → 03:00 EET on 25 October (01:00 UTC), so 03:00–03:59 happens twice.
// America/New_York 2026: spring forward 02:00 → 03:00 on 8 March (07:00 UTC);
// fall back 02:00 EDT → 01:00 EST on 1 November (06:00 UTC), so 01:00–01:59 happens twice.
describe('nextExpected across DST (croner semantics, documented in schedule.ts)', () => {
  it('Riga spring-forward: `30 3 * * *` (03:30 does not exist) fires once, at 04:00 EEST when the gap ends', () => {
    const s = cron('30 3 * * *', 'Europe/Riga');
    expect(nextTimes(s, new Date('2026-03-27T12:00:00Z'), 4).map(iso)).toEqual([
      '2026-03-28T01:30:00.000Z', // 03:30 EET
      '2026-03-29T01:00:00.000Z', // 04:00 EEST: the first instant after the gap
      '2026-03-30T00:30:00.000Z', // 03:30 EEST
      '2026-03-31T00:30:00.000Z',
    ]);
    expect(iso(nextExpected(s, new Date('2026-03-29T00:59:59.999Z')))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(nextExpected(s, new Date('2026-03-29T01:00:00.000Z')))).toBe('2026-03-30T00:30:00.000Z');
  });
  it('New York spring-forward: `30 3 * * *` exists (the gap is 02:00–03:00) and fires at 03:30 EDT', () => {
    expect(nextTimes(cron('30 3 * * *', 'America/New_York'), new Date('2026-03-07T12:00:00Z'), 2).map(iso)).toEqual([
      '2026-03-08T07:30:00.000Z',
      '2026-03-09T07:30:00.000Z',
    ]);
  });
  it('New York spring-forward: `30 2 * * *` (02:30 does not exist) fires at 03:00 EDT', () => {
    expect(nextTimes(cron('30 2 * * *', 'America/New_York'), new Date('2026-03-07T12:00:00Z'), 2).map(iso)).toEqual([
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
  });
  it('New York fall-back: `30 1 * * *` (01:30 happens twice) fires once, on the first (EDT) pass', () => {
    const s = cron('30 1 * * *', 'America/New_York');
    expect(nextTimes(s, new Date('2026-10-31T12:00:00Z'), 2).map(iso)).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
    // A ping between the two passes expects tomorrow, not the second 01:30 (EST, 06:30 UTC).
    expect(iso(nextExpected(s, new Date('2026-11-01T05:31:00Z')))).toBe('2026-11-02T06:30:00.000Z');
  });
  it('Riga fall-back: `30 3 * * *` fires once, on the first (EEST) pass; `30 1 * * *` is untouched', () => {
    const s = cron('30 3 * * *', 'Europe/Riga');
    expect(nextTimes(s, new Date('2026-10-24T12:00:00Z'), 2).map(iso)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect(iso(nextExpected(s, new Date('2026-10-25T00:31:00Z')))).toBe('2026-10-26T01:30:00.000Z');
    expect(nextTimes(cron('30 1 * * *', 'Europe/Riga'), new Date('2026-10-24T12:00:00Z'), 2).map(iso)).toEqual(['2026-10-24T22:30:00.000Z', '2026-10-25T23:30:00.000Z']);
  });
  it('wall-clock patterns fire on both passes of the repeated hour', () => {
    expect(nextTimes(cron('*/30 * * * *', 'America/New_York'), new Date('2026-11-01T04:50:00Z'), 4).map(iso)).toEqual([
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T06:00:00.000Z', // 01:00 EST
      '2026-11-01T06:30:00.000Z', // 01:30 EST
    ]);
  });
  it('wall-clock patterns skip the missing hour', () => {
    // Hourly in Riga on spring-forward day: 03:00 local does not exist; UTC hours stay contiguous.
    expect(nextTimes(cron('0 * * * *', 'Europe/Riga'), new Date('2026-03-28T23:10:00Z'), 3).map(iso)).toEqual([
      '2026-03-29T00:00:00.000Z', // 02:00 EET
      '2026-03-29T01:00:00.000Z', // 04:00 EEST
      '2026-03-29T02:00:00.000Z',
    ]);
    // A listed hour inside the gap is not a fixed time: New York's 02:30 is skipped that day.
    expect(nextTimes(cron('30 2,4 * * *', 'America/New_York'), new Date('2026-03-08T00:00:00Z'), 2).map(iso)).toEqual([
      '2026-03-08T08:30:00.000Z', // 04:30 EDT; 02:30 skipped
      '2026-03-09T06:30:00.000Z',
    ]);
  });
});

describe('nextTimes', () => {
  it('period: from + k·period', () => {
    expect(nextTimes(period(60), new Date('2026-12-01T00:00:00Z'), 3).map(iso)).toEqual([
      '2026-12-01T00:01:00.000Z',
      '2026-12-01T00:02:00.000Z',
      '2026-12-01T00:03:00.000Z',
    ]);
  });
  it('cron: successive fire times, the first strictly after from', () => {
    expect(nextTimes(cron('0 */6 * * *'), new Date('2026-12-01T06:00:00Z'), 3).map(iso)).toEqual([
      '2026-12-01T12:00:00.000Z',
      '2026-12-01T18:00:00.000Z',
      '2026-12-02T00:00:00.000Z',
    ]);
  });
  it('clamps n to 0..1000', () => {
    expect(nextTimes(period(60), new Date(0), 0)).toEqual([]);
    expect(nextTimes(period(60), new Date(0), -5)).toEqual([]);
    expect(nextTimes(period(60), new Date(0), Number.NaN)).toEqual([]);
    expect(nextTimes(period(60), new Date(0), 2.9)).toHaveLength(2);
    expect(nextTimes(period(60), new Date(0), 1e9)).toHaveLength(1000);
  });
  it('throws ScheduleError for an unrunnable cron', () => {
    expect(() => nextTimes(cron('x y z'), new Date(0), 3)).toThrow(ScheduleError);
  });
});

describe('describeSchedule', () => {
  it.each([
    [period(3600, 300), 'every 1h, grace 5m'],
    [period(5400, 0), 'every 90m, no grace'],
    [period(DAY, 90061), 'every 1d, grace 90061s'],
    [cron('15 5 * * *', 'Europe/Riga', 3600), 'cron `15 5 * * *` in Europe/Riga, grace 1h'],
    [cron('  @daily ', 'UTC', 36 * 3600), 'cron `@daily` in UTC, grace 36h'],
  ] as const)('%j → %s', (s, text) => {
    expect(describeSchedule(s)).toBe(text);
  });
});
