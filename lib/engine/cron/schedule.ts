/**
 * Schedules: validation, the next expected time, a preview of fire times and a one-line text.
 *
 * Period schedules are Healthchecks' "simple" kind: the next run is expected `periodSeconds`
 * after the last ping, whatever the wall clock says. Cron schedules use croner in the check's
 * IANA time zone, and their DST behaviour is croner's (pinned by schedule.test.ts):
 * - fixed-time expressions (one minute and one hour, e.g. `30 3 * * *`) fire exactly once a day:
 *   a time that does not exist on the spring-forward day fires at the instant the gap ends
 *   (Riga 2026-03-29: 03:30 → 04:00 EEST = 01:00 UTC), and a time that occurs twice on the
 *   fall-back day fires on its first, summer-time pass only (New York 2026-11-01: 01:30 EDT);
 * - expressions with a wildcard, list, range or step in the minute or hour follow the wall clock:
 *   times inside the gap are skipped, times inside the repeated hour fire on both passes.
 */
import { Cron } from 'croner';
import { cronExpressionProblem } from '@/lib/engine/cron-expression';
import { exactSeconds } from './time-text';
import type { Schedule } from './types';

export const SCHEDULE_LIMITS = {
  minPeriodSeconds: 60,
  maxPeriodSeconds: 365 * 86_400,
  maxGraceSeconds: 365 * 86_400,
  maxExpressionChars: 200,
  maxTimezoneChars: 64,
  /** nextTimes() returns at most this many times. */
  maxPreview: 1000,
} as const;

export interface ScheduleProblem {
  field: string;
  message: string;
}

/** Thrown by nextExpected / nextTimes for a schedule that scheduleProblems would reject. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

// IANA names only ("Europe/Riga", "Etc/GMT+2", "UTC"). Offsets like "+02:00" are refused even
// where the runtime's Intl accepts them (Node 22 does, Node 20 does not), so validity never
// depends on the Node version a check was created under.
const TIMEZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

/** Is `tz` an IANA time zone name this runtime knows? */
export function isTimeZone(tz: string): boolean {
  if (tz.length > SCHEDULE_LIMITS.maxTimezoneChars || !TIMEZONE_SHAPE.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

// Parsing an expression costs as much as one nextRun; the alert loop asks for the same few
// expressions thousands of times. A paused Cron with an explicit `prev` is stateless, so sharing
// instances is safe. Bounded: cleared when full rather than tracking recency.
const cronCache = new Map<string, Cron>();
const CRON_CACHE_MAX = 512;
const UTC_NAMES = new Set(['UTC', 'ETC/UTC', 'GMT', 'ETC/GMT']);

function cronFor(expression: string, timezone: string): Cron {
  const key = `${timezone}\u0000${expression}`;
  let c = cronCache.get(key);
  if (!c) {
    if (cronCache.size >= CRON_CACHE_MAX) cronCache.clear();
    // croner's fixed-offset path skips Intl entirely (about 10x faster) and is exact for UTC.
    c = UTC_NAMES.has(timezone.toUpperCase()) ? new Cron(expression, { paused: true, utcOffset: 0 }) : new Cron(expression, { paused: true, timezone });
    cronCache.set(key, c);
  }
  return c;
}

/** The first fire time strictly after `after`, or null when there is none. Throws croner's errors. */
function cronNext(expression: string, timezone: string, after: Date): Date | null {
  return cronFor(expression.trim(), timezone).nextRun(after);
}

function wholeSecondsProblem(field: string, v: unknown, min: number, max: number): ScheduleProblem | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return { field, message: 'must be a number of seconds' };
  if (!Number.isInteger(v)) return { field, message: `must be a whole number of seconds (got ${v})` };
  if (v < min || v > max) return { field, message: `must be ${exactSeconds(min)} to ${exactSeconds(max)} (got ${exactSeconds(v)})` };
  return null;
}

// A fixed reference keeps validation pure (no clock) and repeatable.
const PROBE_FROM = new Date(Date.UTC(2000, 0, 1));

/** Can croner run a syntactically valid expression in a valid zone, and does it ever fire? */
function runProblem(expr: string, tz: string): string | null {
  const q = JSON.stringify(expr);
  try {
    return cronNext(expr, tz, PROBE_FROM) ? null : `${q} never fires: no date matches it (e.g. 30 February)`;
  } catch {
    return `${q} is not a cron expression Steward can run`;
  }
}

/**
 * Every problem of a schedule, each naming its field (`schedule.periodSeconds`,
 * `schedule.expression`, `schedule.timezone`, `schedule.graceSeconds`); [] when valid.
 * Period 60 s to 365 d and grace 0 to 365 d, both inclusive and whole seconds. A cron expression
 * must pass cronExpressionProblem (Steward's own messages), croner must run it in the time zone,
 * and it must ever fire (`0 0 30 2 *` never does).
 */
export function scheduleProblems(s: Schedule): ScheduleProblem[] {
  const out: ScheduleProblem[] = [];
  const grace = wholeSecondsProblem('schedule.graceSeconds', s.graceSeconds, 0, SCHEDULE_LIMITS.maxGraceSeconds);
  if (s.kind === 'period') {
    const p = wholeSecondsProblem('schedule.periodSeconds', s.periodSeconds, SCHEDULE_LIMITS.minPeriodSeconds, SCHEDULE_LIMITS.maxPeriodSeconds);
    if (p) out.push(p);
  } else if (s.kind === 'cron') {
    const tz = typeof s.timezone === 'string' ? s.timezone : '';
    const tzOk = isTimeZone(tz);
    if (tz === '') out.push({ field: 'schedule.timezone', message: 'is required (an IANA time zone such as UTC or Europe/Riga)' });
    else if (!tzOk) out.push({ field: 'schedule.timezone', message: `${JSON.stringify(tz.slice(0, 64))} is not an IANA time zone (e.g. UTC, Europe/Riga)` });
    const expr = typeof s.expression === 'string' ? s.expression.trim() : '';
    const syntax = expr.length > SCHEDULE_LIMITS.maxExpressionChars ? `is longer than ${SCHEDULE_LIMITS.maxExpressionChars} characters` : cronExpressionProblem(expr);
    if (expr === '') out.push({ field: 'schedule.expression', message: 'is required, e.g. "15 5 * * *"' });
    else if (syntax) out.push({ field: 'schedule.expression', message: syntax });
    else if (tzOk) {
      const run = runProblem(expr, tz);
      if (run) out.push({ field: 'schedule.expression', message: run });
    }
  } else {
    out.push({ field: 'schedule.kind', message: 'must be "period" or "cron"' });
  }
  if (grace) out.push(grace);
  return out;
}

/**
 * When the next run is expected after a ping at `after`: `after + period` for a period schedule;
 * for a cron schedule the first fire time strictly after `after` (a ping exactly at a fire time
 * expects the next one). Throws ScheduleError when croner cannot run the schedule, it never
 * fires again, or a number in it is not a valid duration.
 */
export function nextExpected(s: Schedule, after: Date): Date {
  // Stored rows were validated, but one NaN would otherwise surface as "Invalid time value" deep
  // inside a sentence; say what is wrong instead.
  if (!Number.isFinite(s.graceSeconds) || s.graceSeconds < 0) throw new ScheduleError(`grace ${s.graceSeconds} is not a number of seconds >= 0`);
  if (!Number.isFinite(after.getTime())) throw new ScheduleError('the last ping time is not a valid date');
  if (s.kind === 'period') {
    if (!Number.isFinite(s.periodSeconds) || s.periodSeconds <= 0) throw new ScheduleError(`period ${s.periodSeconds} is not a number of seconds > 0`);
    return new Date(after.getTime() + s.periodSeconds * 1000);
  }
  let next: Date | null;
  try {
    next = cronNext(s.expression, s.timezone, after);
  } catch (e) {
    throw new ScheduleError(`cron ${JSON.stringify(s.expression)} in ${JSON.stringify(s.timezone)} cannot be evaluated: ${(e as Error).message}`);
  }
  if (!next) throw new ScheduleError(`cron ${JSON.stringify(s.expression)} never fires after ${after.toISOString()}`);
  return next;
}

/**
 * The next `n` expected times after `from` (the form's live preview): `from + k·period` for
 * k = 1..n, or successive cron fire times. `n` is clamped to 0..1000; a cron schedule that stops
 * firing returns fewer. Throws ScheduleError like nextExpected.
 */
export function nextTimes(s: Schedule, from: Date, n: number): Date[] {
  const count = Math.max(0, Math.min(SCHEDULE_LIMITS.maxPreview, Math.floor(Number.isFinite(n) ? n : 0)));
  const out: Date[] = [];
  let t = from;
  for (let i = 0; i < count; i++) {
    if (s.kind === 'cron') {
      let next: Date | null;
      try {
        next = cronNext(s.expression, s.timezone, t);
      } catch (e) {
        throw new ScheduleError(`cron ${JSON.stringify(s.expression)} in ${JSON.stringify(s.timezone)} cannot be evaluated: ${(e as Error).message}`);
      }
      if (!next) break;
      t = next;
    } else t = nextExpected(s, t);
    out.push(t);
  }
  return out;
}

/** `every 1h, grace 5m`, `cron \`15 5 * * *\` in Europe/Riga, grace 1h`; grace 0 reads "no grace". */
export function describeSchedule(s: Schedule): string {
  const grace = s.graceSeconds > 0 ? `grace ${exactSeconds(s.graceSeconds)}` : 'no grace';
  if (s.kind === 'period') return `every ${exactSeconds(s.periodSeconds)}, ${grace}`;
  return `cron \`${s.expression.trim()}\` in ${s.timezone}, ${grace}`;
}
