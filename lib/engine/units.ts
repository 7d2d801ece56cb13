/**
 * Parsing and formatting of durations and sizes as people write them in policies, CLI flags and
 * config files. Pure: no clock, no fs.
 *
 * Sizes use BINARY multiples throughout: 1 K = 1 KB = 1 KiB = 1024 bytes, 1 MB = 1024² bytes, and so
 * on. This matches `du -h`, `find -size`, `sort -h` and the seeds' `--max-size 2G` / `--max-size-mb 900`,
 * so a cap typed into Steward means the same number of bytes an operator sees in `du`.
 */

/** Thrown when a duration or size string cannot be parsed; names the field and the bad value. */
export class UnitParseError extends Error {
  /** The field (or flag, or policy path) that held the bad value, e.g. "ttl" or "rules[2].ttl". */
  readonly field: string;
  /** The offending value exactly as given. */
  readonly value: unknown;
  /** The message without the field prefix, e.g. `"7x" is not a duration (use 30m, 36h, 7d or seconds)`. */
  readonly detail: string;

  constructor(field: string, value: unknown, detail: string) {
    super(`${field}: ${detail}`);
    this.name = 'UnitParseError';
    this.field = field;
    this.value = value;
    this.detail = detail;
  }
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: WEEK };
const DURATION_HINT = 'use 30m, 36h, 7d or seconds';
const DURATION_PART = /(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d|w)/gy;

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Parses a duration into milliseconds.
 * Accepts a number of seconds (`3600`), a numeric string of seconds (`"3600"`), or one or more
 * `<number><unit>` parts with units ms, s, m, h, d, w (`90s`, `30m`, `1.5h`, `7d`, `2w`, `1d 12h`).
 * Units are case-insensitive except `M`, which is rejected as ambiguous (minutes or months?).
 * Throws UnitParseError for empty, negative, NaN/infinite or otherwise malformed input.
 */
export function parseDuration(value: string | number, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new UnitParseError(field, value, `${show(value)} is not a duration (${DURATION_HINT}); it must be a number of seconds >= 0`);
    }
    return checkSafe(Math.round(value * SECOND), field, value);
  }
  const bad = (why = `is not a duration (${DURATION_HINT})`) => new UnitParseError(field, value, `${show(value)} ${why}`);
  if (typeof value !== 'string') throw bad();
  const text = value.trim();
  if (text === '') throw bad(`is empty; expected a duration (${DURATION_HINT})`);
  if (/^(\d+(\.\d+)?|\.\d+)$/.test(text)) return checkSafe(Math.round(Number(text) * SECOND), field, value);
  if (/\d\s*M(?![sS])/.test(text)) throw bad('is ambiguous (minutes or months?); write 30m for minutes or 180d for months');
  const lower = text.toLowerCase();
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let pos = 0;
  while (pos < lower.length) {
    DURATION_PART.lastIndex = pos;
    const m = DURATION_PART.exec(lower);
    // Stryker disable next-line ConditionalExpression: both groups are mandatory in DURATION_PART, so a match always has them (the checks narrow the type)
    if (!m || m[1] === undefined || m[2] === undefined) throw bad();
    total += Number(m[1]) * (DURATION_UNITS[m[2]] ?? NaN);
    pos = DURATION_PART.lastIndex;
    while (lower[pos] === ' ') pos++;
  }
  if (!Number.isFinite(total)) throw bad();
  return checkSafe(Math.round(total), field, value);
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
const SIZE_HINT = 'use 500MB, 2G, 1.5GiB or a number of bytes';

/**
 * Parses a size into bytes (binary multiples: 1 KB = 1024 bytes).
 * Accepts a number of bytes (`512`), a numeric string (`"512"`), or `<number><unit>` with units
 * B, K/KB/KiB, M/MB/MiB, G/GB/GiB, T/TB/TiB, P/PB/PiB, case-insensitive (`500MB`, `2G`, `1.5gib`, `100k`).
 * Fractional results are rounded to whole bytes. Throws UnitParseError for empty, negative, NaN or malformed input.
 */
export function parseSize(value: string | number, field: string): number {
  const bad = (why = `is not a size (${SIZE_HINT})`) => new UnitParseError(field, value, `${show(value)} ${why}`);
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw bad(`is not a size (${SIZE_HINT}); it must be a number of bytes >= 0`);
    return checkSafe(Math.round(value), field, value);
  }
  if (typeof value !== 'string') throw bad();
  const text = value.trim();
  if (text === '') throw bad(`is empty; expected a size (${SIZE_HINT})`);
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(?:([kmgtp])(?:i?b)?|b)?$/i.exec(text);
  // Stryker disable next-line ConditionalExpression: group 1 is mandatory in the pattern (the check narrows the type)
  if (!m || m[1] === undefined) throw bad();
  const mult = SIZE_UNITS[(m[2] ?? '').toLowerCase()] ?? NaN;
  return checkSafe(Math.round(Number(m[1]) * mult), field, value);
}

function checkSafe(n: number, field: string, value: unknown): number {
  if (!Number.isSafeInteger(n)) throw new UnitParseError(field, value, `${show(value)} is too large`);
  return n;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/**
 * Formats bytes for people: binary multiples, at most one decimal, trailing ".0" dropped
 * (`512 B`, `1.5 MB`, `900 MB`, `2 GB`). Negative values keep their sign.
 */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let u = 0;
  while (u < BYTE_UNITS.length - 1 && Math.round(v * 10) / 10 >= 1024) {
    v /= 1024;
    u++;
  }
  const rounded = u === 0 ? Math.round(v) : Math.round(v * 10) / 10;
  return `${sign}${rounded} ${BYTE_UNITS[u]}`;
}

/**
 * Formats a duration for people with its two largest non-zero units, truncated (`8d 2h`, `45m`,
 * `1h 30m`, `30s`). Under a second prints `0s` or `250ms`. Negative values keep their sign.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  // Stryker disable next-line EqualityOperator: for 0 the sign is never printed (0 returns "0s" below)
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < SECOND) return abs === 0 ? '0s' : `${sign}${Math.floor(abs)}ms`;
  const parts: string[] = [];
  let rest = Math.floor(abs / SECOND) * SECOND;
  for (const [unit, size] of [['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', SECOND]] as const) {
    const q = Math.floor(rest / size);
    rest -= q * size;
    if (q > 0) parts.push(`${q}${unit}`);
    else if (parts.length > 0) break;
    if (parts.length === 2) break;
  }
  return sign + parts.join(' ');
}

/**
 * Formats a duration exactly and compactly for configs (round-trips through parseDuration):
 * the largest single unit up to days that divides it (`7d`, `14d`, `36h`, `90m`, `45s`), else
 * fractional seconds (`1.5s`). Weeks are never emitted ("7d" reads better than "1w").
 */
export function compactDuration(ms: number): string {
  for (const [unit, size] of [['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', SECOND]] as const) {
    if (ms !== 0 && ms % size === 0) return `${ms / size}${unit}`;
  }
  // Stryker disable next-line ConditionalExpression: 0 / SECOND prints "0s" too
  return ms === 0 ? '0s' : `${ms / SECOND}s`;
}

/**
 * Formats bytes exactly and compactly for configs (round-trips through parseSize):
 * the largest binary unit that divides it (`900MB`, `2GB`, `100KB`), else plain bytes (`1234B`).
 */
export function compactSize(bytes: number): string {
  // Stryker disable next-line EqualityOperator: u = 0 is 1024 ** 0 = 1 byte, which prints the same "<n>B" as the fallback
  for (let u = BYTE_UNITS.length - 1; u > 0; u--) {
    const size = 1024 ** u;
    if (bytes !== 0 && bytes % size === 0) return `${bytes / size}${BYTE_UNITS[u]}`;
  }
  return `${bytes}B`;
}
