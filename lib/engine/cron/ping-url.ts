/**
 * Healthchecks-compatible ping paths, so a crontab line keeps working after only its host
 * changes. `segments` is what follows `/ping/`, already split on "/" (and percent-decoded, as
 * Next.js hands route params over):
 *
 *   <uuid>                  success          <ping-key>/<slug>                  success
 *   <uuid>/start|fail|log   that kind        <ping-key>/<slug>/start|fail|log   that kind
 *   <uuid>/<0-255>          exit status      <ping-key>/<slug>/<0-255>          exit status
 *
 * Decisions, matching Healthchecks where it has an answer:
 * - a uuid is canonical 8-4-4-4-12 hex, accepted in any case and returned lower-case;
 * - an exit status is ASCII digits 0–255; leading zeros are accepted ("007" is 7), as Django's
 *   `<int:>` converter does, so a zero-padded code still reports; at most 16 characters; 0 is a
 *   success and 1–255 a failure; "-1", "+1", "1e2", "256" and non-ASCII digits are refused;
 * - a canonical uuid in the first segment always means the uuid form: `<uuid>/backup` is an
 *   error, not ping key "<uuid>" with slug "backup" (Steward's ping keys never look like uuids);
 * - one trailing slash is accepted after a bare uuid only (`/ping/<uuid>/`), as in Healthchecks;
 *   any other empty segment, and any extra segment, is an error;
 * - ping key: 16–64 of [A-Za-z0-9_-]; slug: 1–100 of [a-z0-9_-]; a slug may itself be "start"
 *   or a number (`<key>/start` pings slug "start", as in Healthchecks).
 * Every check is length-bounded before any pattern runs, and errors never echo the input.
 */
import type { ParsedPing, PingKind } from './types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PING_KEY = /^[A-Za-z0-9_-]{16,64}$/;
const SLUG = /^[a-z0-9_-]{1,100}$/;
const DIGITS = /^[0-9]+$/;
const ACTIONS: Record<string, PingKind> = { start: 'start', fail: 'fail', log: 'log' };

export type PingPathError = { error: string };

/** Is `v` a canonical uuid (any case)? */
export function isUuid(v: string): boolean {
  return v.length === 36 && UUID.test(v);
}

/** The kind and exit status of a last segment, or an error sentence. */
function action(seg: string): { kind: PingKind; exitStatus: number | null } | PingPathError {
  const named = Object.hasOwn(ACTIONS, seg) ? ACTIONS[seg] : undefined;
  if (named) return { kind: named, exitStatus: null };
  if (DIGITS.test(seg)) {
    // Bounded first: 10 000 zeros and a 1 is not an exit status anyone meant.
    const v = seg.length > 16 ? '256' : seg.replace(/^0+(?=[0-9])/, '');
    const n = v.length > 3 ? 256 : Number(v);
    if (n > 255) return { error: 'the exit status must be 0–255' };
    return { kind: n === 0 ? 'success' : 'fail', exitStatus: n };
  }
  return { error: 'expected start, fail, log or an exit status 0–255 at the end of the ping URL' };
}

function withAction(target: ParsedPing['target'], seg: string | undefined): ParsedPing | PingPathError {
  if (seg === undefined) return { target, kind: 'success', exitStatus: null };
  const a = action(seg);
  return 'error' in a ? a : { target, ...a };
}

/**
 * Parses the segments after `/ping/`. Returns the target (uuid, or ping key + slug), the kind
 * and the exit status, or `{ error }` with a sentence fit for a 400 response body.
 */
export function parsePingPath(segments: readonly string[]): ParsedPing | PingPathError {
  if (segments.length === 0 || segments[0] === '') return { error: 'the ping URL needs a check uuid or a ping key and slug after /ping/' };
  if (segments.length > 3) return { error: 'the ping URL has too many segments' };
  const [first, second, third] = segments as [string, string | undefined, string | undefined];
  if (isUuid(first)) {
    if (third !== undefined) return { error: 'the ping URL has too many segments after the uuid' };
    const target = { by: 'uuid' as const, uuid: first.toLowerCase() };
    if (second === '') return { target, kind: 'success', exitStatus: null };
    return withAction(target, second);
  }
  if (first.length > 64 || !PING_KEY.test(first)) {
    return { error: second === undefined ? 'not a check uuid (8-4-4-4-12 hex digits)' : 'not a check uuid or a ping key (16–64 letters, digits, "_" or "-")' };
  }
  if (second === undefined || second === '') return { error: 'a ping key must be followed by a slug: /ping/<ping-key>/<slug>' };
  if (second.length > 100 || !SLUG.test(second)) return { error: 'the slug must be 1–100 lower-case letters, digits, "_" or "-"' };
  return withAction({ by: 'slug', pingKey: first, slug: second }, third);
}

/**
 * The `?rid=` run id: absent → null; a canonical uuid → lower-cased; anything else → an error.
 * An empty value (`?rid=` from an unset shell variable) is treated as absent rather than refused,
 * unlike Healthchecks, so the ping itself is not lost; runs then pair by order.
 */
export function parseRid(v: string | null): string | null | PingPathError {
  if (v === null || v === '') return null;
  if (!isUuid(v)) return { error: 'rid must be a uuid (8-4-4-4-12 hex digits)' };
  return v.toLowerCase();
}
