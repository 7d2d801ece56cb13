/**
 * The sentinel's results: one per task, the seed's exit code, and the table `steward sentinel`
 * prints. Task names and paths come from a config file and a filesystem, so every cell is
 * stripped of ANSI sequences and control characters before it reaches a terminal (a file named
 * "\e[2J" must not clear the operator's screen, nor a name hide a line with "\r").
 */
import { evaluateFreshness, DEFAULT_FUTURE_TOLERANCE_SECONDS } from './freshness';
import { isGlob } from './glob';
import { exactSeconds, humanMs } from './time-text';
import type { SentinelTask, SentinelTaskResult } from './types';

/**
 * One task's result. `path` is the file judged (the newest glob match) or null when nothing
 * matched; `mtime` is its modification time (null: it vanished before it could be read). A task
 * with no match says so ("no file matches reports/nightly_*.json") rather than just "missing".
 */
export function toTaskResult(task: SentinelTask, path: string | null, mtime: Date | null, now: Date, futureToleranceSeconds = DEFAULT_FUTURE_TOLERANCE_SECONDS): SentinelTaskResult {
  const v = evaluateFreshness(path === null ? null : mtime, task.maxAgeSeconds, now, futureToleranceSeconds);
  const reason = v.status === 'missing' && path === null && isGlob(task.artifact) ? `no file matches ${task.artifact}` : v.reason;
  return {
    name: task.name,
    artifact: task.artifact,
    path,
    status: v.status,
    mtime: path !== null && mtime ? mtime.toISOString() : null,
    ageSeconds: v.ageSeconds,
    maxAgeSeconds: v.maxAgeSeconds,
    reason,
  };
}

/** The seed's exit code: 0 when every task is fresh (or there are none), else 1. Future is not fresh. */
export function sentinelExitCode(results: readonly SentinelTaskResult[]): 0 | 1 {
  return results.every((r) => r.status === 'fresh') ? 0 : 1;
}

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), and two-character escapes.
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
// C0, DEL, C1, zero-width and bidirectional controls, line and paragraph separators, BOM.
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/** Text safe for a terminal cell: escape sequences removed, other control characters shown as "?". */
export function sanitizeForTerminal(s: string, maxChars = Number.POSITIVE_INFINITY): string {
  const clean = s.replace(ANSI, '').replace(CONTROL, '?');
  const cps = Array.from(clean);
  return cps.length > maxChars ? `${cps.slice(0, maxChars - 1).join('')}…` : clean;
}

function age(r: SentinelTaskResult): string {
  if (r.ageSeconds === null) return '-';
  return r.ageSeconds < 0 ? `${humanMs(-r.ageSeconds * 1000)} ahead` : humanMs(r.ageSeconds * 1000);
}

function file(r: SentinelTaskResult): string {
  if (r.path !== null) return sanitizeForTerminal(r.path);
  return `${sanitizeForTerminal(r.artifact)} (${isGlob(r.artifact) ? 'no match' : 'missing'})`;
}

const width = (s: string) => Array.from(s).length;

/**
 * An aligned plain-text table, one row per task, in the given order:
 * `STATUS  TASK  AGE  MAX AGE  FILE`. Names are cut to 60 characters; the last column is
 * not padded. No colour: the CLI decides whether to add any.
 */
export function formatSentinelTable(results: readonly SentinelTaskResult[]): string {
  const head = ['STATUS', 'TASK', 'AGE', 'MAX AGE', 'FILE'];
  const rows = results.map((r) => [r.status, sanitizeForTerminal(r.name, 60), age(r), exactSeconds(r.maxAgeSeconds), file(r)]);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c)))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/** One line under the table: "all 3 tasks fresh" or "2 of 3 tasks not fresh: backup (missing), web (stale)". */
export function summarizeSentinel(results: readonly SentinelTaskResult[]): string {
  const bad = results.filter((r) => r.status !== 'fresh');
  const n = results.length;
  if (n === 0) return 'no tasks';
  if (bad.length === 0) return n === 1 ? 'the task is fresh' : `all ${n} tasks fresh`;
  const shown = bad.slice(0, 10).map((r) => `${sanitizeForTerminal(r.name, 60)} (${r.status})`).join(', ');
  return `${bad.length} of ${n} task${n === 1 ? '' : 's'} not fresh: ${shown}${bad.length > 10 ? `, and ${bad.length - 10} more` : ''}`;
}
