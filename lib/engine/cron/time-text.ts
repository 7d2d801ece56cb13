/**
 * How the cron engine writes times and durations into its sentences: at minute precision, in UTC
 * ("2026-12-01 05:16 UTC") or, for a check whose cron schedule has its own time zone, in that zone
 * ("2026-12-01 05:16 Europe/Riga": the zone the job's crontab fires in, so "expected 05:15, late
 * after 06:15" reads as the crontab line does). The engine has no viewer time zone; pages format
 * the structured fields (expectedAt, downAt…) themselves. Seconds are truncated, never rounded, so
 * a sentence never names a minute that has not started yet.
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

const formatters = new Map<string, { wall: Intl.DateTimeFormat; offset: Intl.DateTimeFormat } | null>();
function formatterFor(zone: string) {
  let f = formatters.get(zone);
  // Stryker disable next-line ConditionalExpression: a cache; a new formatter each time formats the same
  if (f === undefined) {
    try {
      f = {
        wall: new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
        offset: new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }),
      };
    } catch {
      f = null; // not a zone this runtime knows: UTC then (the schedule itself is refused elsewhere)
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a bound on the cache's size, not on any answer
    if (formatters.size < 1000) formatters.set(zone, f);
  }
  return f;
}

const HOUR_MS = 3_600_000;

/**
 * Day and minute of `d` in `zone` (`2026-12-01`, `05:16`), with the zone and, within an hour of a
 * clock change (where a wall time can happen twice, or a deadline an hour away reads the same),
 * its offset: `01:30 America/New_York (GMT-4)`. Null for UTC or an unknown zone.
 */
function localParts(d: Date, zone: string): { day: string; label: string } | null {
  // Stryker disable next-line ConditionalExpression,StringLiteral: a shortcut; UTC through Intl reads the same as utcMinute
  if (zone === 'UTC') return null;
  const f = formatterFor(zone);
  if (!f) return null;
  const p = Object.fromEntries(f.wall.formatToParts(d).map((x) => [x.type, x.value]));
  const offset = (x: number) => f.offset.formatToParts(new Date(x)).find((y) => y.type === 'timeZoneName')?.value ?? '';
  const here = offset(d.getTime());
  const changing = here !== offset(d.getTime() - HOUR_MS) || here !== offset(d.getTime() + HOUR_MS);
  return { day: `${p.year}-${p.month}-${p.day}`, label: `${p.hour}:${p.minute} ${zone}${changing ? ` (${here})` : ''}` };
}

/** `2026-12-01 05:16 Europe/Riga`; `utcMinute(d)` for UTC. */
export function zoneMinute(d: Date, zone: string): string {
  const l = localParts(d, zone);
  return l ? `${l.day} ${l.label}` : utcMinute(d);
}

/** `06:15 Europe/Riga` when `d` falls on the same day as `ref` in that zone, else `zoneMinute(d)`. */
export function zoneMinuteAfter(d: Date, ref: Date, zone: string): string {
  const l = localParts(d, zone);
  if (!l) return utcMinuteAfter(d, ref);
  return l.day === localParts(ref, zone)!.day ? l.label : `${l.day} ${l.label}`;
}

/** A configured duration, exactly (`36h`, `90m`, `1d`): round-trips through parseDuration. */
export function exactSeconds(seconds: number): string {
  return compactDuration(seconds * 1000);
}

/** A measured duration for people, two largest units, truncated (`2h 5m`). */
export function humanMs(ms: number): string {
  return formatDuration(ms);
}
