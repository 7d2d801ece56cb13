/**
 * How the cron engine writes times and durations into its sentences. Always UTC at minute
 * precision ("2026-12-01 05:16 UTC"): the engine has no viewer time zone, and pages format the
 * structured fields (expectedAt, downAt…) in the viewer's zone themselves. Seconds are truncated,
 * never rounded, so a sentence never names a minute that has not started yet.
 */
import { compactDuration, formatDuration } from '@/lib/engine/units';

/** `2026-12-01 05:16 UTC`. */
export function utcMinute(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** `06:15 UTC` when `d` falls on the same UTC day as `ref`, else the full `utcMinute(d)`. */
export function utcMinuteAfter(d: Date, ref: Date): string {
  const a = d.toISOString();
  return a.slice(0, 10) === ref.toISOString().slice(0, 10) ? `${a.slice(11, 16)} UTC` : utcMinute(d);
}

/** A configured duration, exactly (`36h`, `90m`, `1d`): round-trips through parseDuration. */
export function exactSeconds(seconds: number): string {
  return compactDuration(seconds * 1000);
}

/** A measured duration for people, two largest units, truncated (`2h 5m`). */
export function humanMs(ms: number): string {
  return formatDuration(ms);
}
