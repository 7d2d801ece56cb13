/** Durations and timestamps as JUnit producers write them. Pure. */

export type Parsed<T> = { value: T | null; warning: string | null };

const ok = <T>(value: T): Parsed<T> => ({ value, warning: null });
const NONE: Parsed<never> = { value: null, warning: null };
const bad = <T>(warning: string): Parsed<T> => ({ value: null, warning });

/**
 * A `time` attribute (seconds) in milliseconds.
 * Accepts `1.5`, `0.`, `.5`, `1e-3`, `1,234.5` (comma = thousands when a dot is present or the
 * groups are exactly three digits), `0,5` (a lone decimal comma, as some locales write it).
 * Missing or empty → null without warning; negative, NaN, infinite or garbage → null + warning.
 * The result is rounded to the microsecond so float noise never shows (`0.1` s → 100 ms).
 */
export function parseSeconds(raw: string | undefined): Parsed<number> {
  if (raw === undefined) return NONE;
  const s = raw.trim();
  if (s === '') return NONE;
  let t = s;
  if (t.includes(',')) {
    if (t.includes('.') || /^[+-]?[1-9]\d{0,2}(,\d{3})+$/.test(t)) t = t.replace(/,/g, '');
    else if (/^[+-]?\d*,\d+$/.test(t)) t = t.replace(',', '.');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return bad(`unreadable time "${clip(s)}"`);
  const n = Number(t);
  if (!Number.isFinite(n)) return bad(`unreadable time "${clip(s)}"`);
  if (n < 0) return bad(`negative time "${clip(s)}" ignored`);
  return ok(Math.round(n * 1e6) / 1e3);
}

/** A TRX duration `hh:mm:ss.fffffff` (days allowed as `d.hh:mm:ss`) in milliseconds. */
export function parseTimeSpan(raw: string | undefined): Parsed<number> {
  if (raw === undefined || raw.trim() === '') return NONE;
  const m = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(raw.trim());
  if (!m) return bad(`unreadable duration "${clip(raw)}"`);
  const [, d, h, min, sec] = m;
  const seconds = Number(d ?? 0) * 86_400 + Number(h) * 3600 + Number(min) * 60 + Number(sec);
  return ok(Math.round(seconds * 1e6) / 1e3);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const RFC1123 = /^(?:[a-z]{3},?\s+)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(Z|UTC|GMT|[+-]\d{4})?$/i;

/**
 * A `timestamp` attribute as a Date.
 * ISO 8601 with `Z`, an offset (`+02:00`, `+0200`, `+02`) or none, and RFC 1123
 * (`Tue, 02 Jan 2024 03:04:05 GMT`). A timestamp without zone (pytest, Gradle, Surefire write
 * local time) is read as UTC: the parser has no clock or zone of its own, and a fixed rule keeps
 * re-parses identical. Fractions beyond milliseconds are cut. Missing → null; anything else, or a
 * calendar-impossible date (Feb 30), → null + warning.
 */
export function parseTimestamp(raw: string | undefined): Parsed<Date> {
  if (raw === undefined || raw.trim() === '') return NONE;
  const s = raw.trim();
  let parts: { y: number; mo: number; d: number; h: number; mi: number; sec: number; ms: number; zone: string | undefined } | null = null;
  const iso = ISO.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, zone] = iso;
    parts = { y: +y!, mo: +mo!, d: +d!, h: +(h ?? 0), mi: +(mi ?? 0), sec: +(sec ?? 0), ms: frac ? Number(`0.${frac}`.slice(0, 5)) * 1000 : 0, zone };
  } else {
    const rfc = RFC1123.exec(s);
    const mo = rfc ? MONTHS.indexOf(rfc[2]!.toLowerCase()) + 1 : 0;
    if (rfc && mo > 0) {
      const [, d, , y, h, mi, sec, zone] = rfc;
      parts = { y: +y!, mo, d: +d!, h: +h!, mi: +mi!, sec: +(sec ?? 0), ms: 0, zone };
    }
  }
  if (!parts) return bad(`unreadable timestamp "${clip(s)}"`);
  const { y, mo, d, h, mi, sec, ms } = parts;
  const utc = Date.UTC(y, mo - 1, d, h, mi, sec, Math.round(ms));
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || sec > 60) return bad(`impossible timestamp "${clip(s)}"`);
  return ok(new Date(utc - offsetMinutes(parts.zone) * 60_000));
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  const mins = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -mins : mins;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
