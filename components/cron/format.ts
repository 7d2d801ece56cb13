/**
 * How cron figures read on the pages. Everything shown comes from the services; this only
 * formats. Times stay in UTC with the app's fixed format (components/format.ts) so the server
 * render and the browser agree; relative phrases are computed against the request's `now`.
 */
import { stripAnsi } from '@/lib/engine/flaky/policy/failures';
import { formatDuration } from '@/lib/engine/units';
import type { CheckState, PingKind } from '@/lib/engine/cron/types';

/** Seconds as "45s", "1h 30m", "2d 4h"; null as "—". */
export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '—';
  if (s > 0 && s < 1) return `${Math.round(s * 1000)}ms`;
  return formatDuration(Math.round(s * 1000));
}

/** "3m ago", "in 5m", "just now", against `now` (the request's clock, so the page is consistent). */
export function relative(iso: string | null | undefined, now: Date): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '—';
  const diff = t - now.getTime();
  if (Math.abs(diff) < 5_000) return 'just now';
  const text = formatDuration(Math.abs(diff));
  return diff < 0 ? `${text} ago` : `in ${text}`;
}

/** "05:15 UTC" today, else "2025-03-30 05:15 UTC": short deadlines for the list. */
export function shortTime(iso: string | null | undefined, now: Date): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const full = d.toISOString();
  const sameDay = full.slice(0, 10) === now.toISOString().slice(0, 10);
  return sameDay ? `${full.slice(11, 16)} UTC` : `${full.slice(0, 16).replace('T', ' ')} UTC`;
}

/** Untrusted text for display: ANSI escapes and other control characters (but newlines and tabs) removed. */
export function displayText(s: string | null | undefined): string {
  if (!s) return '';
  // eslint-disable-next-line no-control-regex -- the point is to remove control characters
  return stripAnsi(s).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** The state's colour and words. Six distinct tones; the text always says the state too. */
export const STATE_STYLE: Record<CheckState, { label: string; className: string; dot: string }> = {
  new: { label: 'new', className: 'bg-zinc-100 text-zinc-700 ring-zinc-300 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700', dot: 'bg-zinc-400' },
  up: { label: 'up', className: 'bg-emerald-50 text-emerald-800 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-800', dot: 'bg-emerald-500' },
  started: { label: 'started', className: 'bg-sky-50 text-sky-800 ring-sky-300 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-800', dot: 'bg-sky-500' },
  late: { label: 'late', className: 'bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-800', dot: 'bg-amber-500' },
  down: { label: 'down', className: 'bg-red-50 text-red-800 ring-red-300 dark:bg-red-950 dark:text-red-300 dark:ring-red-800', dot: 'bg-red-600' },
  paused: { label: 'paused', className: 'bg-violet-50 text-violet-800 ring-violet-300 dark:bg-violet-950 dark:text-violet-300 dark:ring-violet-800', dot: 'bg-violet-500' },
};

export const PING_KIND_LABEL: Record<PingKind, string> = { success: 'success', start: 'start', fail: 'fail', log: 'log' };

/** A ping's kind with its exit status when it had one: "fail (exit 2)". */
export function pingKindText(kind: PingKind, exitStatus: number | null): string {
  return exitStatus === null ? PING_KIND_LABEL[kind] : `${PING_KIND_LABEL[kind]} (exit ${exitStatus})`;
}
