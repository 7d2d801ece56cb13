/**
 * zod building blocks for values that end up in PostgreSQL columns, so a hostile value is a 400
 * naming the field instead of a database error (a 500):
 * - text: PostgreSQL text cannot hold NUL (U+0000); other control characters are refused too
 *   (tab, newline and carriage return only where a field allows multi-line text);
 * - integers: `int` columns hold ±2,147,483,647, `bigint` more than a JavaScript number can carry
 *   exactly, so counts stop at 2³¹−1 and byte sizes at 2⁵³−1;
 * - dates: JavaScript dates reach the year 275760, PostgreSQL's timestamps and ISO strings do not.
 * `findUnsafeJson` applies the text and number rules to a whole JSON body (the route wrapper runs
 * it on every body, before the endpoint's own schema).
 */
import { z } from 'zod';
import type { FieldIssue } from '@/lib/services/errors';

export const INT_MAX = 2_147_483_647;
export const MIN_DATE = new Date('1900-01-01T00:00:00Z');
export const MAX_DATE = new Date('9999-12-31T23:59:59.999Z');

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f]/;

export function hasNul(s: string): boolean {
  return s.includes('\u0000');
}

/** A single-line string without control characters, at most `max` characters. */
export function safeString(max: number) {
  return z.string().max(max).refine((s) => !CONTROL_OR_NEWLINE.test(s), 'must not contain control characters');
}

/** Multi-line text (tab, CR, LF allowed) without NUL or other control characters. */
export function safeText(max: number) {
  return z.string().max(max).refine((s) => !CONTROL.test(s), 'must not contain control characters');
}

/** A whole number that fits a PostgreSQL `int` column, from `min` (default 0). */
export function intColumn(min = 0) {
  return z.number().int().min(min).max(INT_MAX);
}

/** A whole number that fits a `bigint` column and a JavaScript number exactly (byte sizes). */
export function bigintColumn(min = 0) {
  return z.number().int().min(min).max(Number.MAX_SAFE_INTEGER);
}

/** A finite number within ±2⁵³ (float columns, sizes in MB/KB). */
export function safeNumber(min = -Number.MAX_SAFE_INTEGER) {
  return z.number().finite().min(min).max(Number.MAX_SAFE_INTEGER);
}

/** A query-string page number or size: digits only, within [min, max]. */
export function queryInt(min: number, max: number) {
  return z.coerce.number().int().min(min).max(max);
}

/** A date from a query string or body, between 1900 and 9999 (anything else is surely a mistake). */
export function safeDate() {
  return z.coerce
    .date()
    .refine((d) => d >= MIN_DATE && d <= MAX_DATE, `must be between ${MIN_DATE.toISOString().slice(0, 10)} and ${MAX_DATE.toISOString().slice(0, 10)}`);
}

function fieldName(path: readonly (string | number)[], root: string): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || root;
}

/**
 * Strings with a NUL and numbers beyond ±2⁵³ anywhere in a parsed JSON value (keys included), as
 * field issues; at most 20. No database column can take either.
 */
export function findUnsafeJson(value: unknown, root = '(body)'): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const walk = (v: unknown, path: (string | number)[], depth: number): void => {
    if (issues.length >= 20) return;
    if (depth > 64) {
      issues.push({ field: fieldName(path, root), message: 'is nested too deeply' });
      return;
    }
    if (typeof v === 'string') {
      if (hasNul(v)) issues.push({ field: fieldName(path, root), message: 'must not contain a NUL character' });
    } else if (typeof v === 'number') {
      if (Math.abs(v) > Number.MAX_SAFE_INTEGER) issues.push({ field: fieldName(path, root), message: `must be at most ${Number.MAX_SAFE_INTEGER} in size` });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, i], depth + 1));
    } else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (hasNul(k)) issues.push({ field: fieldName(path, root), message: 'has a key with a NUL character' });
        else walk(item, [...path, k], depth + 1);
      }
    }
  };
  walk(value, [], 0);
  return issues;
}
