/**
 * Maintenance windows as the state function uses them.
 *
 * The rule, exactly: every time-driven change of a check has a deadline D and happens strictly
 * after it (now > D). A deadline with `start <= D < end` for some window is moved to that
 * window's `end`. Windows are first merged (overlapping or touching ones become one), so a moved
 * deadline never lands inside another window, and the move is monotone (an earlier deadline
 * never moves past a later one). Hence nothing turns late or down during a window: the state at
 * `start` holds until `end`, and the check catches up 1 ms after `end` if its deadlines passed.
 * A window never changes a state by itself, so it adds no instants to nextChangeAt beyond the
 * moved deadlines. Windows with `end <= start` or invalid dates are ignored.
 */
import type { MaintenanceWindow } from './types';

export interface Span {
  start: number;
  end: number;
}

/** Valid windows, sorted and merged, as millisecond spans. */
export function mergeWindows(windows: readonly MaintenanceWindow[]): Span[] {
  const spans = windows
    .map((w) => ({ start: w.start.getTime(), end: w.end.getTime() }))
    .filter((w) => Number.isFinite(w.start) && Number.isFinite(w.end) && w.end > w.start)
    .sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  for (const w of spans) {
    const last = out[out.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else out.push({ ...w });
  }
  return out;
}

/** The merged window with `start <= t < end`, or null. */
export function spanAt(t: number, spans: readonly Span[]): Span | null {
  for (const s of spans) {
    if (s.start > t) return null;
    if (t < s.end) return s;
  }
  return null;
}

/** A deadline moved out of the windows: `end` when `start <= t < end`, else `t` itself. */
export function deferDeadline(t: number, spans: readonly Span[]): number {
  return spanAt(t, spans)?.end ?? t;
}
