/**
 * Failure messages grouped on the test page: messages that differ only by addresses, ids, numbers,
 * durations or temporary paths are one group. Messages are untrusted: the output is plain text,
 * bounded, with terminal escapes removed; the UI still escapes it.
 */

/** Longest normalised message; longer ones are cut and end with "…". */
export const MAX_NORMALIZED_LENGTH = 500;
export const NO_MESSAGE = '(no message)';

// Order matters: paths and ids first (they contain digits), then times, then bare numbers.
/* eslint-disable no-control-regex -- matching escape and control characters is the point */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
/* eslint-enable no-control-regex */
const TMP_PATH = /(?:\/private)?\/(?:tmp|var\/tmp|var\/folders)\/[^\s'"`()[\]<>:,]*|\b[A-Za-z]:\\(?:[^\\\s'"`]+\\)*?(?:Temp|tmp)\\[^\s'"`()[\]<>:,]*/gi;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g;
const HEX = /\b0x[0-9a-f]+\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b/gi;
const DURATION = /\b(?:\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?))+\b/gi;
const NUMBER = /\b\d+(?:[.,]\d+)*\b/g;

/** Removes terminal escape sequences (colours, cursor moves, OSC links) from a message. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * A failure message reduced to its stable part, for grouping. Strips ANSI escapes and control
 * characters; replaces temporary paths (/tmp, /var/folders, Windows Temp) with `<tmp>`, UUIDs
 * with `<uuid>`, ISO timestamps with `<time>`, hex (0x… and 12+ hex digits mixing digits and
 * letters) with `<hex>`, durations (2000ms, 1.5 s, 1m30s) with `<duration>`, other numbers with
 * `<n>`; collapses whitespace; cuts to MAX_NORMALIZED_LENGTH. Empty or null → "(no message)".
 */
export function normalizeFailureMessage(message: string | null): string {
  if (message === null) return NO_MESSAGE;
  const s = stripAnsi(message)
    .replace(CONTROL, ' ')
    .replace(TMP_PATH, '<tmp>')
    .replace(UUID, '<uuid>')
    .replace(TIMESTAMP, '<time>')
    .replace(HEX, '<hex>')
    .replace(DURATION, '<duration>')
    .replace(NUMBER, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
  if (s === '') return NO_MESSAGE;
  return s.length > MAX_NORMALIZED_LENGTH ? `${s.slice(0, MAX_NORMALIZED_LENGTH - 1)}…` : s;
}

export interface FailureGroup {
  /** The normalised message. */
  message: string;
  count: number;
  /** The first raw message of the group, ANSI stripped and cut to MAX_NORMALIZED_LENGTH. */
  example: string;
}

/**
 * Groups failure messages by their normalised form. Output sorted by count (most first), then by
 * message (code-unit order, so the result does not depend on the locale).
 */
export function groupFailures(messages: Iterable<string | null>): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const raw of messages) {
    const message = normalizeFailureMessage(raw);
    const g = groups.get(message);
    if (g) g.count++;
    else {
      const ex = raw === null ? NO_MESSAGE : stripAnsi(raw).trim();
      groups.set(message, { message, count: 1, example: ex.length > MAX_NORMALIZED_LENGTH ? `${ex.slice(0, MAX_NORMALIZED_LENGTH - 1)}…` : ex || NO_MESSAGE });
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}
